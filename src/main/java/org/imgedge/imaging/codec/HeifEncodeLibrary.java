package org.imgedge.imaging.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The slice of libheif's encoding API ({@code libheif/heif.h}, 1.x) that writes AVIF, bound on its own so
 * that a libheif without it still decodes. The opaque {@code heif_*} pointers stay opaque.
 */
final class HeifEncodeLibrary {

  /** Set to a library name that does not exist to run a node as if libheif were missing (a real load failure). */
  static final String LIBRARY = System.getProperty("imgedge.libheif", HeifLibrary.LIBRARY);

  static final int COMPRESSION_AV1 = 4;

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(HeifEncodeLibrary.class, LIBRARY);

  private HeifEncodeLibrary() {}

  static native int heif_have_encoder_for_format(int compression);

  static native Pointer heif_context_alloc();

  static native void heif_context_free(Pointer context);

  static native HeifLibrary.Error heif_context_get_encoder_for_format(Pointer context, int compression, PointerByReference encoder);

  static native HeifLibrary.Error heif_encoder_set_lossy_quality(Pointer encoder, int quality);

  static native HeifLibrary.Error heif_encoder_set_parameter_integer(Pointer encoder, String name, int value);

  static native void heif_encoder_release(Pointer encoder);

  static native HeifLibrary.Error heif_image_create(int width, int height, int colorspace, int chroma, PointerByReference image);

  static native HeifLibrary.Error heif_image_add_plane(Pointer image, int channel, int width, int height, int bitDepth);

  static native Pointer heif_image_get_plane(Pointer image, int channel, IntByReference stride);

  static native HeifLibrary.Error heif_image_set_raw_color_profile(Pointer image, String typeFourcc, byte[] data, NativeLong size);

  static native void heif_image_release(Pointer image);

  static native HeifLibrary.Error heif_context_encode_image(Pointer context, Pointer image, Pointer encoder, Pointer options,
      PointerByReference handle);

  static native void heif_image_handle_release(Pointer handle);

  static native HeifLibrary.Error heif_context_write_to_file(Pointer context, String filename);
}
