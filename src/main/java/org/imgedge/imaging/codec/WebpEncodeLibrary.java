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
}
