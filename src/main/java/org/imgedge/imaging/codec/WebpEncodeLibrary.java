package org.imgedge.imaging.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The slice of libwebp's simple encoding API we call ({@code webp/encode.h}), bound on its own so that a
 * library without the encoder still decodes. {@code size_t} is a {@link NativeLong} on LP64.
 */
final class WebpEncodeLibrary {

  /** Set to a library name that does not exist to run a node as if libwebp were missing (a real load failure). */
  static final String LIBRARY = System.getProperty("imgedge.libwebp", WebpLibrary.LIBRARY);

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(WebpEncodeLibrary.class, LIBRARY);

  private WebpEncodeLibrary() {}

  /**
   * Lossy VP8 of packed RGB at {@code qualityFactor} 0..100, with libwebp's default method (4) and 4:2:0.
   * Writes a buffer libwebp allocated to {@code *output}; @return its size, 0 on failure.
   */
  static native NativeLong WebPEncodeRGB(Pointer rgb, int width, int height, int stride, float qualityFactor,
      Pointer output);

  /** Frees what the encoder allocated. */
  static native void WebPFree(Pointer buffer);

  /** {@code WEBP_ENCODER_ABI_VERSION} of libwebp 1.2 ({@code webp/encode.h}). */
  static final int ENCODER_ABI_VERSION = 0x020f;
  /** Bytes reserved for {@code WebPConfig} and {@code WebPPicture}: more than either needs on LP64 (about 120 and 256). */
  static final int CONFIG_BYTES = 512;
  static final int PICTURE_BYTES = 512;
  static final int MEMORY_WRITER_BYTES = 64;
  /** Offsets in {@code WebPConfig}: int lossless; float quality; int method; ... int thread_level (22nd field). */
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
