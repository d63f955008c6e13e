package org.imgedge.imaging.codec;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The slice of libwebp's decoding API we call (libwebp 1.x, {@code webp/decode.h}, decoder ABI 0x0209),
 * bound with JNA direct mapping. {@code WebPDecoderConfig} is laid out by hand for x86-64 and aarch64
 * (LP64): the offsets below are those of the header's structs there.
 */
final class WebpLibrary {

  static final String LIBRARY = "libwebp.so.7";
  static final int DECODER_ABI_VERSION = 0x0209;
  static final int VP8_STATUS_OK = 0;
  static final int VP8_STATUS_SUSPENDED = 5;
  /** Non-premultiplied RGBA, 8 bits a sample. */
  static final int MODE_RGBA = 1;

  /** sizeof(WebPDecoderConfig): input features (40), output buffer (120), options (76), padded to 8. */
  static final int CONFIG_SIZE = 240;
  static final int FEATURES_WIDTH = 0;
  static final int FEATURES_HEIGHT = 4;
  static final int FEATURES_HAS_ANIMATION = 12;
  /** 0 undefined or mixed, 1 lossy, 2 lossless. */
  static final int FEATURES_FORMAT = 16;
  static final int FORMAT_LOSSLESS = 2;
  static final int OUTPUT = 40;
  static final int OUTPUT_COLORSPACE = 40;
  static final int OUTPUT_WIDTH = 44;
  static final int OUTPUT_HEIGHT = 48;
  static final int OUTPUT_RGBA = 56;
  static final int OUTPUT_STRIDE = 64;
  static final int OPTIONS_USE_SCALING = 160 + 28;
  static final int OPTIONS_SCALED_WIDTH = 160 + 32;
  static final int OPTIONS_SCALED_HEIGHT = 160 + 36;

  /** Null when the library loaded; otherwise why it did not. */
  static final Throwable LOAD_FAILURE = NativeBinding.register(WebpLibrary.class, LIBRARY);

  private WebpLibrary() {}

  /** A zeroed, initialised config; the caller frees its output with {@link #WebPFreeDecBuffer}. */
  static Memory newConfig() {
    Memory config = new Memory(CONFIG_SIZE);
    config.clear();
    if (WebPInitDecoderConfigInternal(config, DECODER_ABI_VERSION) == 0) {
      throw new IllegalStateException("libwebp refused decoder ABI " + Integer.toHexString(DECODER_ABI_VERSION));
    }
    return config;
  }

  static native int WebPInitDecoderConfigInternal(Pointer config, int version);

  /** Reads width, height and flags from the headers alone into config->input. */
  static native int WebPGetFeaturesInternal(Pointer data, NativeLong size, Pointer features, int version);

  static native int WebPDecode(Pointer data, NativeLong size, Pointer config);

  /** An incremental decoder writing to config->output with config->options; null when libwebp refuses. */
  static native Pointer WebPIDecode(Pointer data, NativeLong size, Pointer config);

  /** Decodes as far as the first {@code size} bytes of {@code data} allow: OK when done, SUSPENDED for more. */
  static native int WebPIUpdate(Pointer idec, Pointer data, NativeLong size);

  static native void WebPIDelete(Pointer idec);

  /** Frees what WebPDecode allocated for config->output. */
  static native void WebPFreeDecBuffer(Pointer output);
}
