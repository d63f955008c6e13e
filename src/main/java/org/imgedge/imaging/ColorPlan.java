package org.imgedge.imaging;

import java.util.Optional;
import org.imgedge.imaging.codec.ColorTransform;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegIcc;
import org.imgedge.imaging.codec.MatrixShaper;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.YCbCr;

/**
 * What the variants of uploads with one embedded profile need so they look like the original, decided once per
 * profile (see {@link ColorPlans}): nothing (sRGB, or none), a Display P3 tag (the numbers kept), or a conversion
 * of the numbers to sRGB. Conversion happens after resizing, on the variants resized from the decoded picture; one
 * resized from a bigger variant (small from medium) has its colours already. With the default presets that is the
 * medium alone: 6% of a 12 MP photo's pixels. Immutable, and used by any number of jobs at once.
 */
final class ColorPlan {

  /** sRGB or untagged: the variants are made exactly as they always were. */
  static final ColorPlan AS_IS = new ColorPlan(null, null, null, null, false);
  /** A profile that is there but cannot be used (broken, not RGB, or LittleCMS is missing): treated as sRGB. */
  static final ColorPlan IGNORED = new ColorPlan(null, null, null, null, true);

  /** Null unless the numbers are converted. */
  private final ColorTransform toSrgb;
  /** The same conversion on YCbCr planes, when the profile is colorants and curves alone; else null. */
  private final MatrixShaper planesToSrgb;
  /** Null unless the variants are tagged. */
  private final byte[] profile;
  /**
   * Null unless the variants are tagged: their numbers to sRGB, for the placeholder, since a ThumbHash has no
   * profile and is painted as sRGB.
   */
  private final ColorTransform taggedToSrgb;
  private final boolean profileIgnored;

  private ColorPlan(ColorTransform toSrgb, MatrixShaper planesToSrgb, byte[] profile, ColorTransform taggedToSrgb,
      boolean profileIgnored) {
    this.toSrgb = toSrgb;
    this.planesToSrgb = planesToSrgb;
    this.profile = profile;
    this.taggedToSrgb = taggedToSrgb;
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
            ? new ColorPlan(null, null, IccProfile.displayP3(), profile.toSrgb(), false)
            : converted(profile);
        case OTHER_RGB -> converted(profile);
      };
    } catch (IllegalArgumentException e) {
      return IGNORED;
    }
  }

  private static ColorPlan converted(IccProfile profile) {
    return new ColorPlan(profile.toSrgb(), profile.matrixShaper().orElse(null), null, null, false);
  }

  /** Whether the original's profile was there but could not be used, so its picture is treated as sRGB. */
  boolean profileIgnored() {
    return profileIgnored;
  }

  /**
   * The variant's pixels, in the original's colours, in the colour space they will be encoded in: a JPEG's planes
   * stay planes when the profile allows it (see {@link MatrixShaper}), anything else goes through LittleCMS as RGB.
   */
  Raster apply(Raster variant) {
    if (toSrgb == null) {
      return variant;
    }
    if (planesToSrgb != null && variant instanceof Raster.Planes planes) {
      Optional<YCbCr> converted = planesToSrgb.apply(planes.image());
      if (converted.isPresent()) {
        return new Raster.Planes(converted.get());
      }
    }
    return new Raster.Rgb(toSrgb.apply(variant.toRgb()));
  }

  /** A variant's pixels (after {@link #apply}) in sRGB: what the placeholder is made from. */
  RgbImage placeholderColours(RgbImage pixels) {
    return taggedToSrgb == null ? pixels : taggedToSrgb.apply(pixels);
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
