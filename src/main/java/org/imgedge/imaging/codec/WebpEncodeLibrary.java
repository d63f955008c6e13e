package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;

/**
 * The slice of libwebp's advanced encoding API we call ({@code webp/encode.h}: a config, a picture and a
 * memory writer), bound on its own so that a library without the encoder still decodes.
 */
final class WebpEncodeLibrary {

  /** Set to a library name that does not exist to run a node as if libwebp were missing (a real load failure). */
  static final String LIBRARY = System.getProperty("imgedge.libwebp", WebpLibrary.LIBRARY);

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(WebpEncodeLibrary.class, LIBRARY);

  private WebpEncodeLibrary() {}

  /** {@code WEBP_ENCODER_ABI_VERSION} of libwebp 1.2 ({@code webp/encode.h}). */
  static final int ENCODER_ABI_VERSION = 0x020f;
  /** Bytes reserved for {@code WebPConfig} and {@code WebPPicture}: more than either needs on LP64 (about 120 and 256). */
  static final int CONFIG_BYTES = 512;
  static final int PICTURE_BYTES = 512;
  static final int MEMORY_WRITER_BYTES = 64;
  /** Offset of {@code int method} in {@code WebPConfig}, after {@code int lossless; float quality;}. */
  static final int CONFIG_METHOD = 8;
  /** Offsets in {@code WebPPicture} on LP64: width, height, then after the planes and pads the writer and its pointer. */
  static final int PICTURE_WIDTH = 8;
  static final int PICTURE_HEIGHT = 12;
  static final int PICTURE_WRITER = 96;
  static final int PICTURE_CUSTOM_PTR = 104;
  /** {@code WebPMemoryWriter}: uint8_t* mem; size_t size; ... */
  static final int WRITER_MEM = 0;
  static final int WRITER_SIZE = 8;
  static final int PRESET_DEFAULT = 0;

  static native int WebPConfigInitInternal(Pointer config, int preset, float quality, int version);

  static native int WebPValidateConfig(Pointer config);

  static native int WebPPictureInitInternal(Pointer picture, int version);

  static native int WebPPictureImportRGB(Pointer picture, Pointer rgb, int stride);

  static native void WebPPictureFree(Pointer picture);

  static native void WebPMemoryWriterInit(Pointer writer);

  static native void WebPMemoryWriterClear(Pointer writer);

  static native int WebPEncode(Pointer config, Pointer picture);
}
