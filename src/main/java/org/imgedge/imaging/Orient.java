package org.imgedge.imaging;

import org.imgedge.imaging.codec.RgbImage;

/**
 * Applies an EXIF orientation (1..8) so the raster is upright. Runs after resizing, where it is cheap.
 *
 * <p>Each orientation is a walk over the source: output pixel (x, y) reads source index
 * {@code origin + x * stepX + y * stepY} (in pixels).
 */
final class Orient {

  private Orient() {}

  /** EXIF orientations 5..8 swap width and height. */
  static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** Anything outside 1..8 (0 = absent, garbage) means "as stored". */
  static int normalise(int orientation) {
    return orientation >= 1 && orientation <= 8 ? orientation : 1;
  }

  static RgbImage apply(RgbImage src, int orientation) {
    int o = normalise(orientation);
    if (o == 1) {
      return src;
    }
    byte[] out = apply(src.rgb(), src.width(), src.height(), 3, o);
    return swapsAxes(o) ? new RgbImage(src.height(), src.width(), out) : new RgbImage(src.width(), src.height(), out);
  }

  /**
   * @param channels samples per pixel, stored together (3 for packed RGB, 1 for a plane)
   * @return the upright samples ({@code h x w} when the orientation swaps axes), or {@code src} for orientation 1
   */
  static byte[] apply(byte[] src, int w, int h, int channels, int orientation) {
    int last = w * h - 1;
    int lastRow = (h - 1) * w;
    int origin, stepX, stepY;
    switch (normalise(orientation)) {
      case 2 -> { origin = w - 1; stepX = -1; stepY = w; }         // mirrored left-right
      case 3 -> { origin = last; stepX = -1; stepY = -w; }          // rotated 180
      case 4 -> { origin = lastRow; stepX = 1; stepY = -w; }        // mirrored top-bottom
      case 5 -> { origin = 0; stepX = w; stepY = 1; }               // transposed
      case 6 -> { origin = lastRow; stepX = -w; stepY = 1; }        // needs 90 clockwise
      case 7 -> { origin = last; stepX = -w; stepY = -1; }          // transversed
      case 8 -> { origin = w - 1; stepX = w; stepY = -1; }          // needs 90 counter-clockwise
      default -> { return src; }
    }
    int outW = swapsAxes(orientation) ? h : w;
    int outH = swapsAxes(orientation) ? w : h;
    byte[] dst = new byte[src.length];
    int o = 0;
    for (int y = 0; y < outH; y++) {
      int p = origin + y * stepY;
      if (channels == 1) {
        for (int x = 0; x < outW; x++, p += stepX) {
          dst[o++] = src[p];
        }
      } else {
        for (int x = 0; x < outW; x++, p += stepX) {
          int i = p * 3;
          dst[o++] = src[i];
          dst[o++] = src[i + 1];
          dst[o++] = src[i + 2];
        }
      }
    }
    return dst;
  }
}
