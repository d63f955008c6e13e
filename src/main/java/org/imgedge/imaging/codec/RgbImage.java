package org.imgedge.imaging.codec;

import java.awt.image.BufferedImage;

/**
 * An 8-bit sRGB raster, packed 3 bytes per pixel (R, G, B), rows top to bottom with no padding.
 *
 * <p>This is the one pixel format every step of the pipeline speaks, so decoders convert into it once
 * and nothing downstream has to know about grey, palette, 16-bit, CMYK or alpha.
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width < 1 || height < 1 || rgb.length != (long) width * height * 3) {
      throw new IllegalArgumentException("raster of " + rgb.length + " bytes is not " + width + "x" + height + " RGB");
    }
  }

  /** Allocates a raster; fails with IllegalArgumentException rather than overflowing for absurd sizes. */
  public static RgbImage allocate(int width, int height) {
    long bytes = (long) width * height * 3;
    if (width < 1 || height < 1 || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cannot allocate a " + width + "x" + height + " raster");
    }
    return new RgbImage(width, height, new byte[(int) bytes]);
  }

  /** Converts any ImageIO result to 8-bit RGB; grey stays grey, alpha is composited over white. */
  public static RgbImage fromAwt(BufferedImage image) {
    return AwtToRgb.convert(image);
  }
}
