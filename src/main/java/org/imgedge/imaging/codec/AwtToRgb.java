package org.imgedge.imaging.codec;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;

/**
 * Turns whatever an ImageIO reader produced (grey, palette, 16-bit, RGBA, CMYK already converted...) into
 * {@link RgbImage}, compositing alpha over white because JPEG has no alpha and white is what a page shows.
 */
final class AwtToRgb {

  private AwtToRgb() {}

  static RgbImage convert(BufferedImage image) {
    RgbImage out = RgbImage.allocate(image.getWidth(), image.getHeight());
    ColorModel cm = image.getColorModel();
    boolean plain = (cm instanceof ComponentColorModel || cm instanceof DirectColorModel) && !cm.isAlphaPremultiplied();
    int csType = cm.getColorSpace().getType();
    if (plain && csType == ColorSpace.TYPE_GRAY) {
      // Copy grey samples as they are: going through getRGB would treat them as linear light and brighten them.
      fromSamples(image.getRaster(), out, true);
    } else if (plain && cm.getColorSpace().isCS_sRGB()) {
      fromSamples(image.getRaster(), out, false);
    } else {
      fromArgb(image, out);
    }
    return out;
  }

  /** Reads raw samples row by row: bands are (grey[, alpha]) or (R, G, B[, A]) of any bit depth. */
  private static void fromSamples(Raster raster, RgbImage out, boolean grey) {
    int w = out.width();
    int bands = raster.getNumBands();
    int colourBands = grey ? 1 : 3;
    boolean alpha = bands > colourBands;
    int[] depth = raster.getSampleModel().getSampleSize();
    int[] row = new int[w * bands];
    byte[] rgb = out.rgb();
    int o = 0;
    for (int y = 0; y < out.height(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0, i = 0; x < w; x++, i += bands) {
        int a = alpha ? to8(row[i + colourBands], depth[colourBands]) : 255;
        int r = to8(row[i], depth[0]);
        int g = grey ? r : to8(row[i + 1], depth[1]);
        int b = grey ? r : to8(row[i + 2], depth[2]);
        rgb[o++] = (byte) overWhite(r, a);
        rgb[o++] = (byte) overWhite(g, a);
        rgb[o++] = (byte) overWhite(b, a);
      }
    }
  }

  /** The slow general path (palette, other colour spaces, premultiplied): let Java2D convert to sRGB ARGB. */
  private static void fromArgb(BufferedImage image, RgbImage out) {
    int w = out.width();
    int[] row = new int[w];
    byte[] rgb = out.rgb();
    int o = 0;
    for (int y = 0; y < out.height(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int a = p >>> 24;
        rgb[o++] = (byte) overWhite((p >> 16) & 0xff, a);
        rgb[o++] = (byte) overWhite((p >> 8) & 0xff, a);
        rgb[o++] = (byte) overWhite(p & 0xff, a);
      }
    }
  }

  private static int to8(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    if (bits > 8) {
      return sample >>> (bits - 8);
    }
    int max = (1 << bits) - 1;
    return (sample * 255 + max / 2) / max;
  }

  private static int overWhite(int c, int a) {
    return a == 255 ? c : (c * a + 255 * (255 - a) + 127) / 255;
  }
}
