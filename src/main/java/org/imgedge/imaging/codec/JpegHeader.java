package org.imgedge.imaging.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a JPEG's markers declare before any pixel is decoded.
 *
 * @param width      samples per line from the SOF marker (1..65535)
 * @param height     lines from the SOF marker (1..65535)
 * @param components 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK
 * @param adobe      whether an Adobe APP14 marker is present; Adobe writers store CMYK inverted
 */
public record JpegHeader(int width, int height, int components, boolean adobe) {

  private static final int SOI = 0xD8;
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;
  private static final int APP14 = 0xEE;

  /**
   * Walks the marker segments up to the first SOF (and on to SOS, to see every APP14).
   *
   * @throws IOException when the data is not a JPEG, is cut before the frame header, or declares zero size
   */
  public static JpegHeader parse(byte[] jpeg) throws IOException {
    return parse(ByteBuffer.wrap(jpeg));
  }

  /**
   * The same, reading {@code jpeg} from index 0 to its limit with absolute gets (its position is left alone), so a
   * memory-mapped file is parsed in place.
   */
  public static JpegHeader parse(ByteBuffer jpeg) throws IOException {
    if (jpeg.limit() < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != SOI) {
      throw new IOException("no JPEG SOI marker");
    }
    int pos = 2;
    boolean adobe = false;
    int width = -1, height = -1, components = -1;
    while (pos + 4 <= jpeg.limit()) {
      if (u8(jpeg, pos) != 0xFF) {
        throw new IOException("expected a marker at offset " + pos);
      }
      int marker = u8(jpeg, pos + 1);
      if (marker == 0xFF) { // fill byte before a marker
        pos++;
        continue;
      }
      if (marker == SOS || marker == EOI) {
        break;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // stand-alone markers have no length
        pos += 2;
        continue;
      }
      int length = u16(jpeg, pos + 2);
      int body = pos + 4;
      if (length < 2 || body + length - 2 > jpeg.limit()) {
        throw new IOException("marker segment runs past the end of the data");
      }
      if (isStartOfFrame(marker) && width < 0) {
        if (length < 8) {
          throw new IOException("short SOF segment");
        }
        height = u16(jpeg, body + 1);
        width = u16(jpeg, body + 3);
        components = u8(jpeg, body + 5);
      } else if (marker == APP14 && length >= 7 && startsWith(jpeg, body, "Adobe")) {
        adobe = true;
      }
      pos = body + length - 2;
    }
    if (width < 0) {
      throw new IOException("no SOF marker before the image data");
    }
    if (width == 0 || height == 0) { // height 0 means a DNL marker, which nobody writes and we refuse
      throw new IOException("JPEG declares a zero dimension");
    }
    return new JpegHeader(width, height, components, adobe);
  }

  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static boolean startsWith(ByteBuffer b, int at, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (b.get(at + i) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xFF;
  }

  private static int u16(ByteBuffer b, int at) {
    return (u8(b, at) << 8) | u8(b, at + 1);
  }
}
