package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;
import java.io.IOException;

/** Rows of 8-bit pixels a native decoder left in its own memory, copied out to the heap. */
final class NativePixels {

  private NativePixels() {}

  /**
   * Interleaved R, G, B (A) rows, {@code stride} bytes apart, handed on one at a time; alpha is composited
   * over white as in {@link #rgbaOverWhite}.
   */
  static void rows(Pointer pixels, int width, int height, int stride, boolean alpha, RgbRows out) throws IOException {
    out.size(width, height);
    byte[] row = new byte[width * (alpha ? 4 : 3)];
    byte[] rgb = alpha ? new byte[width * 3] : row;
    for (int y = 0; y < height; y++) {
      pixels.read((long) y * stride, row, 0, row.length);
      if (alpha) {
        overWhite(row, width, rgb, 0);
      }
      out.row(rgb);
    }
  }

  /**
   * Interleaved R, G, B, A rows (alpha not premultiplied), {@code stride} bytes apart, composited over white:
   * JPEG has no alpha, and white is what a page shows behind a transparent picture.
   */
  static RgbImage rgbaOverWhite(Pointer rgba, int width, int height, int stride) {
    RgbImage out = RgbImage.allocate(width, height);
    byte[] row = new byte[width * 4];
    for (int y = 0; y < height; y++) {
      rgba.read((long) y * stride, row, 0, row.length);
      overWhite(row, width, out.rgb(), y * width * 3);
    }
    return out;
  }

  private static void overWhite(byte[] rgba, int width, byte[] rgb, int offset) {
    for (int x = 0, o = offset; x < width * 4; x += 4) {
      int a = rgba[x + 3] & 0xff;
      for (int c = 0; c < 3; c++) {
        rgb[o++] = (byte) (((rgba[x + c] & 0xff) * a + 255 * (255 - a) + 127) / 255);
      }
    }
  }
}
