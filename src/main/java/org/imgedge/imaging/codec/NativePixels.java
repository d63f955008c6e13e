package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;

/** Rows of 8-bit pixels a native decoder left in its own memory, copied into an {@link RgbImage}. */
final class NativePixels {

  private NativePixels() {}

  /** Interleaved R, G, B rows, {@code stride} bytes apart. */
  static RgbImage rgb(Pointer rgb, int width, int height, int stride) {
    RgbImage out = RgbImage.allocate(width, height);
    for (int y = 0; y < height; y++) {
      rgb.read((long) y * stride, out.rgb(), y * width * 3, width * 3);
    }
    return out;
  }

  /**
   * Interleaved R, G, B, A rows (alpha not premultiplied), {@code stride} bytes apart, composited over white:
   * JPEG has no alpha, and white is what a page shows behind a transparent picture.
   */
  static RgbImage rgbaOverWhite(Pointer rgba, int width, int height, int stride) {
    RgbImage out = RgbImage.allocate(width, height);
    byte[] row = new byte[width * 4];
    byte[] rgb = out.rgb();
    for (int y = 0, o = 0; y < height; y++) {
      rgba.read((long) y * stride, row, 0, row.length);
      for (int x = 0; x < width * 4; x += 4) {
        int a = row[x + 3] & 0xff;
        for (int c = 0; c < 3; c++) {
          rgb[o++] = (byte) (((row[x + c] & 0xff) * a + 255 * (255 - a) + 127) / 255);
        }
      }
    }
    return out;
  }
}
