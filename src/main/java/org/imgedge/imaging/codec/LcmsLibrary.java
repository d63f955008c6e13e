package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The slice of LittleCMS 2's API we call ({@code lcms2.h}), bound with JNA direct mapping. Profiles and
 * transforms are not shared between threads: each upload opens its own.
 */
final class LcmsLibrary {

  static final String LIBRARY = "liblcms2.so.2";

  /** {@code TYPE_RGB_8}: COLORSPACE_SH(PT_RGB) | CHANNELS_SH(3) | BYTES_SH(1). */
  static final int TYPE_RGB_8 = (4 << 16) | (3 << 3) | 1;
  static final int INTENT_PERCEPTUAL = 0;
  /** {@code cmsFLAGS_NOCACHE}: no one-pixel cache, which would be state shared by every call. */
  static final int FLAGS_NOCACHE = 0x0040;
  /** {@code cmsSigRgbData}. */
  static final int SIG_RGB_DATA = 0x52474220;
  static final int SIG_RED_COLORANT = 0x7258595A;
  static final int SIG_GREEN_COLORANT = 0x6758595A;
  static final int SIG_BLUE_COLORANT = 0x6258595A;
  static final int SIG_RED_TRC = 0x72545243;
  static final int SIG_GREEN_TRC = 0x67545243;
  static final int SIG_BLUE_TRC = 0x62545243;
  /** The tables a profile may hold in place of its colorants and curves: {@code A2B0..2} and {@code D2B0}. */
  static final int[] SIG_TABLES = {0x41324230, 0x41324231, 0x41324232, 0x44324230};
  static final int SIG_PROFILE_DESCRIPTION = 0x64657363;
  static final int SIG_COPYRIGHT = 0x63707274;

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(LcmsLibrary.class, LIBRARY);

  private LcmsLibrary() {}

  static native Pointer cmsOpenProfileFromMem(byte[] memory, int size);

  static native Pointer cmsCreate_sRGBProfile();

  /** @param whitePoint xyY; primaries: red, green, blue xyY; curves: three {@code cmsToneCurve*} */
  static native Pointer cmsCreateRGBProfile(double[] whitePoint, double[] primaries, Pointer curves);

  /** @param context null for the global one */
  static native Pointer cmsBuildParametricToneCurve(Pointer context, int type, double[] parameters);

  static native void cmsFreeToneCurve(Pointer curve);

  static native int cmsCloseProfile(Pointer profile);

  static native int cmsGetColorSpace(Pointer profile);

  static native Pointer cmsReadTag(Pointer profile, int signature);

  static native int cmsIsTag(Pointer profile, int signature);

  static native int cmsWriteTag(Pointer profile, int signature, Pointer data);

  static native float cmsEvalToneCurveFloat(Pointer curve, float value);

  /** With a null buffer, only says the size needed. */
  static native int cmsSaveProfileToMem(Pointer profile, byte[] memory, IntByReference bytesNeeded);

  static native Pointer cmsMLUalloc(Pointer context, int items);

  static native int cmsMLUsetASCII(Pointer mlu, String language, String country, String text);

  static native void cmsMLUfree(Pointer mlu);

  static native Pointer cmsCreateTransform(Pointer input, int inputFormat, Pointer output, int outputFormat, int intent,
      int flags);

  static native void cmsDoTransform(Pointer transform, byte[] input, byte[] output, int pixels);

  static native void cmsDeleteTransform(Pointer transform);
}
