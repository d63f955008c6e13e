package org.imgedge.imaging.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The slice of libheif's API we call (libheif 1.x, {@code libheif/heif.h}), bound with JNA direct
 * mapping. libheif reads the HEIF container (HEIC, AVIF) and hands the coded images to its decoder
 * plugins (libde265 for HEVC, dav1d or libaom for AV1).
 */
final class HeifLibrary {

  static final String LIBRARY = "libheif.so.1";

  static final int COLORSPACE_RGB = 1;
  static final int CHROMA_INTERLEAVED_RGB = 10;
  static final int CHROMA_INTERLEAVED_RGBA = 11;
  static final int CHANNEL_INTERLEAVED = 10;

  static final int PROFILE_NCLX = fourcc("nclx");
  static final int PROFILE_RESTRICTED_ICC = fourcc("rICC");
  static final int PROFILE_ICC = fourcc("prof");
  static final int NCLX_PRIMARIES = 4;

  /** heif_decoding_options: the version byte, then (from version 2) convert_hdr_to_8bit and (3) strict_decoding. */
  static final int OPTIONS_VERSION = 0;
  static final int OPTIONS_CONVERT_HDR_TO_8BIT = 40;
  static final int OPTIONS_STRICT_DECODING = 41;

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(HeifLibrary.class, LIBRARY);

  private HeifLibrary() {}

  private static int fourcc(String code) {
    return code.charAt(0) << 24 | code.charAt(1) << 16 | code.charAt(2) << 8 | code.charAt(3);
  }

  /** {@code struct heif_error}, returned by value: code 0 is success; message is static text of libheif's. */
  @Structure.FieldOrder({"code", "subcode", "message"})
  public static class Error extends Structure implements Structure.ByValue {
    public int code;
    public int subcode;
    public String message;
  }

  static native Pointer heif_context_alloc();

  static native void heif_context_free(Pointer context);

  static native void heif_context_set_max_decoding_threads(Pointer context, int threads);

  /** The largest width and height the parser accepts; past it reading fails as a security limit. */
  static native void heif_context_set_maximum_image_size_limit(Pointer context, int maximumWidth);

  /** {@code data} must outlive the context: nothing is copied. */
  static native Error heif_context_read_from_memory_without_copy(Pointer context, Pointer data, NativeLong size,
      Pointer readingOptions);

  static native Error heif_context_get_primary_image_handle(Pointer context, PointerByReference handle);

  static native void heif_image_handle_release(Pointer handle);

  /** The displayed size: from the header ({@code ispe}), with rotations applied. */
  static native int heif_image_handle_get_width(Pointer handle);

  static native int heif_image_handle_get_height(Pointer handle);

  static native int heif_image_handle_has_alpha_channel(Pointer handle);

  /** {@code heif_color_profile_type}: 0 for none, else a four-character code: nclx, rICC or prof. */
  static native int heif_image_handle_get_color_profile_type(Pointer handle);

  static native NativeLong heif_image_handle_get_raw_color_profile_size(Pointer handle);

  static native Error heif_image_handle_get_raw_color_profile(Pointer handle, byte[] out);

  /** {@code struct heif_color_profile_nclx}: a version byte, then the colour primaries as an int (offset 4). */
  static native Error heif_image_handle_get_nclx_color_profile(Pointer handle, PointerByReference out);

  static native void heif_nclx_color_profile_free(Pointer nclx);

  static native Pointer heif_decoding_options_alloc();

  static native void heif_decoding_options_free(Pointer options);

  static native Error heif_decode_image(Pointer handle, PointerByReference image, int colorspace, int chroma, Pointer options);

  static native Pointer heif_image_get_plane_readonly(Pointer image, int channel, IntByReference stride);

  static native int heif_image_get_width(Pointer image, int channel);

  static native int heif_image_get_height(Pointer image, int channel);

  static native void heif_image_release(Pointer image);
}
