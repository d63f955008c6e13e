package org.imgedge.imaging;

import java.util.function.UnaryOperator;
import org.imgedge.imaging.codec.RgbImage;

/**
 * The ThumbHash of a variant, made from its pixels before they are encoded: scaled down (Lanczos-3) to
 * fit {@value ThumbHash#MAX_SIDE} pixels a side, as the format expects, and made opaque RGBA (our
 * variants have no alpha). A 400 px variant costs a few milliseconds; the hash is about 25 bytes.
 */
final class Placeholder {

  private Placeholder() {}

  /**
   * @param upright the variant's pixels as displayed, in its colour space (sRGB, or Display P3 for a tagged variant)
   * @param toSrgb  those colours to sRGB, which a ThumbHash is painted in: applied once the pixels are scaled down,
   *                on a sixteenth of them
   */
  static byte[] thumbHash(RgbImage upright, UnaryOperator<RgbImage> toSrgb) {
    RgbImage fitted = toSrgb.apply(fitted(upright));
    return ThumbHash.encode(fitted.width(), fitted.height(), rgba(fitted));
  }

  /** Which preset the placeholder is made from: {@code small} when there is one, else the smallest. */
  static Preset source(java.util.List<Preset> presets) {
    Preset smallest = presets.get(0);
    for (Preset p : presets) {
      if (p.name().equals("small")) {
        return p;
      }
      if (p.box() < smallest.box()) {
        smallest = p;
      }
    }
    return smallest;
  }

  static RgbImage fitted(RgbImage image) {
    Size size = new Size(image.width(), image.height()).fitInside(ThumbHash.MAX_SIDE);
    return size.width() == image.width() && size.height() == image.height() ? image
        : Lanczos3Resampler.resize(image, size.width(), size.height());
  }

  static byte[] rgba(RgbImage image) {
    byte[] rgb = image.rgb();
    byte[] rgba = new byte[image.width() * image.height() * 4];
    for (int i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgba[j] = rgb[i];
      rgba[j + 1] = rgb[i + 1];
      rgba[j + 2] = rgb[i + 2];
      rgba[j + 3] = (byte) 0xff;
    }
    return rgba;
  }
}
