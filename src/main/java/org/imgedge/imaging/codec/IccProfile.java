package org.imgedge.imaging.codec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.Optional;

/**
 * An embedded ICC profile, read by LittleCMS: what colour space the picture's numbers are in, and the
 * transform of those numbers to sRGB.
 */
public final class IccProfile implements AutoCloseable {

  /** The largest embedded profile believed, in any format: real ones are a few hundred bytes to a few hundred KB. */
  public static final int MAX_BYTES = 4 << 20;

  /** What a profile stands for, as far as the variants are concerned. */
  public enum Space {
    /** sRGB, or close enough that converting would change nothing one could see: the numbers stay as they are. */
    SRGB,
    /** Display P3, as phones record: variants may keep it, tagged. */
    DISPLAY_P3,
    /** Any other RGB space (Adobe RGB, ProPhoto, a camera's): converted to sRGB. */
    OTHER_RGB
  }

  /** sRGB's and Display P3's transfer curve: IEC 61966-2-1, as a type 4 parametric curve. */
  private static final double[] SRGB_CURVE = {2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045};
  /** D65 and the P3 primaries (SMPTE EG 432-1), as xyY. */
  private static final double[] D65 = {0.3127, 0.3290, 1};
  private static final double[] P3_PRIMARIES = {0.680, 0.320, 1, 0.265, 0.690, 1, 0.150, 0.060, 1};
  /**
   * How far a colorant (XYZ, D50-adapted, as profiles store them in 16.16 fixed point) or a curve may be from
   * the reference and still count as it: profile makers round differently.
   */
  private static final double TOLERANCE = 0.003;
  private static final float[] CURVE_SAMPLES = {0.05f, 0.2f, 0.5f, 0.8f};
  /** Every 8-bit sample, i / 255: where a JPEG's numbers meet a profile's curve. */
  private static final float[] EVERY_SAMPLE = everySample();

  /** The colorants and curve of sRGB and Display P3, read from profiles LittleCMS builds, once. */
  private static final double[][] SRGB_COLORANTS;
  private static final double[][] P3_COLORANTS;
  private static final float[] SRGB_CURVE_VALUES;
  /** A compact Display P3 profile (a matrix and the sRGB curve), to tag variants with. */
  private static final byte[] DISPLAY_P3;

  static {
    if (LcmsLibrary.LOAD_FAILURE == null) {
      try (IccProfile srgb = new IccProfile(LcmsLibrary.cmsCreate_sRGBProfile()); IccProfile p3 = displayP3Profile()) {
        SRGB_COLORANTS = srgb.colorants();
        SRGB_CURVE_VALUES = srgb.curve(LcmsLibrary.SIG_GREEN_TRC, CURVE_SAMPLES);
        P3_COLORANTS = p3.colorants();
        DISPLAY_P3 = p3.bytes();
      }
    } else {
      SRGB_COLORANTS = P3_COLORANTS = null;
      SRGB_CURVE_VALUES = null;
      DISPLAY_P3 = null;
    }
  }

  private final Pointer profile;

  private IccProfile(Pointer profile) {
    this.profile = profile;
  }

  /** @return whether LittleCMS could be loaded on this node */
  public static boolean available() {
    return LcmsLibrary.LOAD_FAILURE == null;
  }

  /** Why LittleCMS could not be loaded, or null. */
  public static Throwable unavailableBecause() {
    return LcmsLibrary.LOAD_FAILURE;
  }

  /** @return the profile, or empty when LittleCMS cannot read it, or it is not an RGB profile */
  public static Optional<IccProfile> parseRgb(byte[] icc) {
    if (!available()) {
      return Optional.empty();
    }
    Pointer p = LcmsLibrary.cmsOpenProfileFromMem(icc, icc.length);
    if (p == null) {
      return Optional.empty();
    }
    IccProfile profile = new IccProfile(p);
    if (LcmsLibrary.cmsGetColorSpace(p) != LcmsLibrary.SIG_RGB_DATA) {
      profile.close();
      return Optional.empty();
    }
    return Optional.of(profile);
  }

  /** A compact Display P3 profile: 3 colorants, one curve, a description. */
  public static byte[] displayP3() {
    if (DISPLAY_P3 == null) {
      throw new IllegalStateException("LittleCMS is unavailable", LcmsLibrary.LOAD_FAILURE);
    }
    return DISPLAY_P3.clone();
  }

  /** Decided from the colorants and the curves, never from the description. */
  public Space space() {
    double[][] colorants = colorants();
    if (colorants == null || !sameCurve(LcmsLibrary.SIG_RED_TRC) || !sameCurve(LcmsLibrary.SIG_GREEN_TRC)
        || !sameCurve(LcmsLibrary.SIG_BLUE_TRC)) {
      return Space.OTHER_RGB;
    }
    if (close(colorants, SRGB_COLORANTS)) {
      return Space.SRGB;
    }
    return close(colorants, P3_COLORANTS) ? Space.DISPLAY_P3 : Space.OTHER_RGB;
  }

  /**
   * The transform of this profile's numbers to sRGB's (perceptual intent: a profile with tables maps out-of-gamut
   * colours in; a matrix profile clips).
   *
   * @throws IllegalArgumentException when LittleCMS cannot build it
   */
  public ColorTransform toSrgb() {
    Pointer srgb = LcmsLibrary.cmsCreate_sRGBProfile();
    try {
      Pointer transform = LcmsLibrary.cmsCreateTransform(profile, LcmsLibrary.TYPE_RGB_8, srgb, LcmsLibrary.TYPE_RGB_8,
          LcmsLibrary.INTENT_PERCEPTUAL, LcmsLibrary.FLAGS_NOCACHE);
      if (transform == null) {
        throw new IllegalArgumentException("LittleCMS cannot transform this profile to sRGB");
      }
      return new ColorTransform(transform);
    } finally {
      LcmsLibrary.cmsCloseProfile(srgb);
    }
  }

  /**
   * The conversion to sRGB as colorants and curves, for a profile made of them alone. None for one with tables
   * (which LittleCMS would use instead), nor for one whose black is not 0, which LittleCMS compensates.
   */
  public Optional<MatrixShaper> matrixShaper() {
    for (int table : LcmsLibrary.SIG_TABLES) {
      if (LcmsLibrary.cmsIsTag(profile, table) != 0) {
        return Optional.empty();
      }
    }
    double[][] colorants = colorants();
    if (colorants == null) {
      return Optional.empty();
    }
    int[] tags = {LcmsLibrary.SIG_RED_TRC, LcmsLibrary.SIG_GREEN_TRC, LcmsLibrary.SIG_BLUE_TRC};
    float[][] curves = new float[3][];
    for (int c = 0; c < 3; c++) {
      curves[c] = curve(tags[c], EVERY_SAMPLE);
      if (curves[c] == null || curves[c][0] != 0) {
        return Optional.empty();
      }
    }
    return MatrixShaper.of(colorants, SRGB_COLORANTS, curves);
  }

  @Override
  public void close() {
    LcmsLibrary.cmsCloseProfile(profile);
  }

  /** Red, green and blue XYZ, or null for a profile without them (one made of tables). */
  private double[][] colorants() {
    int[] tags = {LcmsLibrary.SIG_RED_COLORANT, LcmsLibrary.SIG_GREEN_COLORANT, LcmsLibrary.SIG_BLUE_COLORANT};
    double[][] xyz = new double[3][];
    for (int i = 0; i < 3; i++) {
      Pointer tag = LcmsLibrary.cmsReadTag(profile, tags[i]);
      if (tag == null) {
        return null;
      }
      xyz[i] = tag.getDoubleArray(0, 3);
    }
    return xyz;
  }

  /** The curve of {@code tag} at each of {@code inputs}, or null for a profile without it. */
  private float[] curve(int tag, float[] inputs) {
    Pointer curve = LcmsLibrary.cmsReadTag(profile, tag);
    if (curve == null) {
      return null;
    }
    float[] values = new float[inputs.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = LcmsLibrary.cmsEvalToneCurveFloat(curve, inputs[i]);
    }
    return values;
  }

  private boolean sameCurve(int tag) {
    float[] values = curve(tag, CURVE_SAMPLES);
    if (values == null) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (Math.abs(values[i] - SRGB_CURVE_VALUES[i]) > TOLERANCE) {
        return false;
      }
    }
    return true;
  }

  private static float[] everySample() {
    float[] inputs = new float[256];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = i / 255f;
    }
    return inputs;
  }

  private static boolean close(double[][] a, double[][] b) {
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        if (Math.abs(a[i][j] - b[i][j]) > TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }

  private byte[] bytes() {
    IntByReference size = new IntByReference();
    if (LcmsLibrary.cmsSaveProfileToMem(profile, null, size) == 0) {
      throw new IllegalStateException("LittleCMS cannot write a profile");
    }
    byte[] out = new byte[size.getValue()];
    LcmsLibrary.cmsSaveProfileToMem(profile, out, size);
    return out;
  }

  private static IccProfile displayP3Profile() {
    Pointer curve = LcmsLibrary.cmsBuildParametricToneCurve(null, 4, SRGB_CURVE);
    Memory curves = new Memory(3L * Native.POINTER_SIZE);
    for (int i = 0; i < 3; i++) {
      curves.setPointer((long) i * Native.POINTER_SIZE, curve);
    }
    IccProfile p3 = new IccProfile(LcmsLibrary.cmsCreateRGBProfile(D65, P3_PRIMARIES, curves));
    LcmsLibrary.cmsFreeToneCurve(curve);
    describe(p3.profile, LcmsLibrary.SIG_PROFILE_DESCRIPTION, "Display P3");
    describe(p3.profile, LcmsLibrary.SIG_COPYRIGHT, "No copyright, use freely");
    return p3;
  }

  private static void describe(Pointer profile, int tag, String text) {
    Pointer mlu = LcmsLibrary.cmsMLUalloc(null, 1);
    LcmsLibrary.cmsMLUsetASCII(mlu, "en", "US", text);
    LcmsLibrary.cmsWriteTag(profile, tag, mlu);
    LcmsLibrary.cmsMLUfree(mlu);
  }
}
