package org.imgedge.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the header segments of a JPEG (everything before the scan data) to look for metadata. */
public final class Jpeg {

  private Jpeg() {}

  /** The header segments, markers included, up to the first SOS; the entropy-coded data is not searched. */
  public static byte[] headers(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
      throw new IllegalArgumentException("not a JPEG");
    }
    int pos = 2;
    while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xff) == 0xFF) {
      int marker = jpeg[pos + 1] & 0xff;
      int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
      pos += 2 + length;
      if (marker == 0xDA) {
        break;
      }
    }
    return Arrays.copyOf(jpeg, Math.min(pos, jpeg.length));
  }

  /** Whether a header segment is APP{@code n} (0xE0 + n). */
  public static boolean hasApp(byte[] jpeg, int n) {
    byte[] head = headers(jpeg);
    int pos = 2;
    while (pos + 4 <= head.length) {
      if ((head[pos + 1] & 0xff) == 0xE0 + n) {
        return true;
      }
      pos += 2 + (((head[pos + 2] & 0xff) << 8) | (head[pos + 3] & 0xff));
    }
    return false;
  }

  public static boolean contains(byte[] haystack, String ascii) {
    return indexOf(haystack, ascii) >= 0;
  }

  /** Where {@code ascii} first occurs in {@code haystack} (a whole file, not only its headers), or -1. */
  public static int indexOf(byte[] haystack, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
