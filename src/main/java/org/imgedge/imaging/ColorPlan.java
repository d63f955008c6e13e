package org.imgedge.imaging;

import java.util.Optional;
import org.imgedge.imaging.codec.ColorTransform;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegIcc;
import org.imgedge.imaging.codec.RgbImage;

/**
 * What one upload's variants need so they look like the original, decided once from its embedded profile:
 * nothing (sRGB, or none), a Display P3 tag (the numbers kept), or a conversion of the numbers to sRGB.
 * Conversion happens per variant, after resizing: on a thousandth of a 12 MP photo's pixels.
 */
final class ColorPlan implements AutoCloseable {

  /** sRGB or untagged: the variants are made exactly as they always were. */
  static final ColorPlan AS_IS = new ColorPlan(null, null, null);

  /** Null unless the numbers are converted. */
  private final ColorTransform toSrgb;
  /** Null unless the variants are tagged. */
  private final byte[] profile;
  /**
   * Null unless the variants keep Display P3: then the placeholder's pixels are converted to sRGB, since a
   * ThumbHash has no profile and is painted as sRGB.
   */
  private final ColorTransform placeholderToSrgb;

  private ColorPlan(ColorTransform toSrgb, byte[] profile, ColorTransform placeholderToSrgb) {
    this.toSrgb = toSrgb;
    this.profile = profile;
    this.placeholderToSrgb = placeholderToSrgb;
  }

  /**
   * @param icc          the original's embedded profile, if any
   * @param ignored      told when a profile is there but cannot be used (broken, not RGB, or LittleCMS is missing):
   *                     the picture is then treated as sRGB, never refused for it
   */
  static ColorPlan of(Optional<byte[]> icc, WideGamut wideGamut, Runnable ignored) {
    if (icc.isEmpty()) {
      return AS_IS;
    }
    Optional<IccProfile> parsed = IccProfile.parseRgb(icc.get());
    if (parsed.isEmpty()) {
      ignored.run();
      return AS_IS;
    }
    try (IccProfile profile = parsed.get()) {
      return switch (profile.space()) {
        case SRGB -> AS_IS;
        case DISPLAY_P3 -> wideGamut == WideGamut.KEEP_P3 ? new ColorPlan(null, IccProfile.displayP3(), profile.toSrgb())
            : new ColorPlan(profile.toSrgb(), null, null);
        case OTHER_RGB -> new ColorPlan(profile.toSrgb(), null, null);
      };
    } catch (IllegalArgumentException e) {
      ignored.run();
      return AS_IS;
    }
  }

  /** The variant's pixels in the colour space it will be encoded in. */
  Raster apply(Raster variant) {
    return toSrgb == null ? variant : new Raster.Rgb(toSrgb.apply(variant.toRgb()));
  }

  /** A variant's pixels as {@link #apply} made them, in sRGB: what its placeholder is made from. */
  RgbImage forPlaceholder(Raster variant) {
    return placeholderToSrgb == null ? variant.toRgb() : placeholderToSrgb.apply(variant.toRgb());
  }

  /** The encoded variant, tagged with its profile when it is not sRGB. */
  byte[] tag(byte[] jpeg) {
    return profile == null ? jpeg : JpegIcc.embed(jpeg, profile);
  }

  /** The profile the variants are tagged with, or null for sRGB. */
  byte[] profile() {
    return profile;
  }

  @Override
  public void close() {
    if (toSrgb != null) {
      toSrgb.close();
    }
    if (placeholderToSrgb != null) {
      placeholderToSrgb.close();
    }
  }
}
