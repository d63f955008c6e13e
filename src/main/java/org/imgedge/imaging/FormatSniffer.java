package org.imgedge.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells the format from the magic bytes only: file names and declared content types are what a client says,
 * not what the bytes are.
 */
public final class FormatSniffer {

  /** Enough for every signature we know (WebP's is the longest, 12 bytes). */
  static final int HEAD_BYTES = 32;

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private FormatSniffer() {}

  /** @param head the first bytes of the file (up to 32; fewer when the file is shorter) */
  public static Optional<ImageFormat> sniff(byte[] head) {
    if (head.length >= 3 && u8(head, 0) == 0xFF && u8(head, 1) == 0xD8 && u8(head, 2) == 0xFF) {
      return Optional.of(ImageFormat.JPEG);
    }
    if (startsWith(head, 0, PNG)) {
      return Optional.of(ImageFormat.PNG);
    }
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
      return Optional.of(ImageFormat.GIF);
    }
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return Optional.of(ImageFormat.WEBP);
    }
    return Optional.empty();
  }

  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(HEAD_BYTES));
    }
  }

  private static boolean ascii(byte[] b, int at, String text) {
    if (b.length < at + text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] b, int at, byte[] magic) {
    if (b.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (b[at + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int at) {
    return b[at] & 0xFF;
  }
}
