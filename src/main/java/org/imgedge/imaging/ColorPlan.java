package org.imgedge.imaging;

import java.util.Optional;
import org.imgedge.imaging.codec.ColorTransform;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegIcc;
import org.imgedge.imaging.codec.RgbImage;

/**
 * What the variants of uploads with one embedded profile need so they look like the original, decided once per
 * profile (see {@link ColorPlans}): nothing (sRGB, or none), a Display P3 tag (the numbers kept), or a conversion
 * of the numbers to sRGB. Conversion happens per variant, after resizing: on a thousandth of a 12 MP photo's
 * pixels. Immutable, and used by any number of jobs at once.
 */
final class ColorPlan {

  /** sRGB or untagged: the variants are made exactly as they always were. */
  static final ColorPlan AS_IS = new ColorPlan(null, null, null, false);
  /** A profile that is there but cannot be used (broken, not RGB, or LittleCMS is missing): treated as sRGB. */
  static final ColorPlan IGNORED = new ColorPlan(null, null, null, true);

  /** Null unless the numbers are converted. */
  private final ColorTransform toSrgb;
  /** Null unless the variants are tagged. */
  private final byte[] profile;
  /**
   * Null for sRGB: the original's numbers to sRGB, for the placeholder, since a ThumbHash has no profile and is
   * painted as sRGB. The same transform as {@link #toSrgb} when the variants are converted.
   */
  private final ColorTransform placeholderToSrgb;
  private final boolean profileIgnored;

  private ColorPlan(ColorTransform toSrgb, byte[] profile, ColorTransform placeholderToSrgb, boolean profileIgnored) {
    this.toSrgb = toSrgb;
    this.profile = profile;
    this.placeholderToSrgb = placeholderToSrgb;
    this.profileIgnored = profileIgnored;
  }

  /**
   * @param icc the original's embedded profile, if any
   * @return {@link #IGNORED} for a profile that cannot be used: the picture is then treated as sRGB, never refused for it
   */
  static ColorPlan of(Optional<byte[]> icc, WideGamut wideGamut) {
    if (icc.isEmpty()) {
      return AS_IS;
    }
    Optional<IccProfile> parsed = IccProfile.parseRgb(icc.get());
    if (parsed.isEmpty()) {
      return IGNORED;
    }
    try (IccProfile profile = parsed.get()) {
      return switch (profile.space()) {
        case SRGB -> AS_IS;
        case DISPLAY_P3 -> wideGamut == WideGamut.KEEP_P3
            ? new ColorPlan(null, IccProfile.displayP3(), profile.toSrgb(), false)
            : converted(profile.toSrgb());
        case OTHER_RGB -> converted(profile.toSrgb());
      };
    } catch (IllegalArgumentException e) {
      return IGNORED;
    }
  }

  private static ColorPlan converted(ColorTransform toSrgb) {
    return new ColorPlan(toSrgb, null, toSrgb, false);
  }

  /** Whether the original's profile was there but could not be used, so its picture is treated as sRGB. */
  boolean profileIgnored() {
    return profileIgnored;
  }

  /** The variant's pixels in the colour space it will be encoded in. */
  Raster apply(Raster variant) {
    return toSrgb == null ? variant : new Raster.Rgb(toSrgb.apply(variant.toRgb()));
  }

  /**
   * Pixels in the original's colours (before {@link #apply}), in sRGB: what the placeholder is made from. The same
   * whether the variants keep Display P3 or are converted.
   */
  RgbImage placeholderColours(RgbImage pixels) {
    return placeholderToSrgb == null ? pixels : placeholderToSrgb.apply(pixels);
  }

  /** The encoded variant, tagged with its profile when it is not sRGB. */
  byte[] tag(byte[] jpeg) {
    return profile == null ? jpeg : JpegIcc.embed(jpeg, profile);
  }

  /** The profile the variants are tagged with, or null for sRGB. */
  byte[] profile() {
    return profile;
  }
}
