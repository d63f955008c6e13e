package org.imgedge.imaging.codec;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * WebP through libwebp: the size from the headers alone, then pixels decoded straight to a smaller
 * size when asked (libwebp scales row by row as it decodes, so a 14000x14000 picture never exists in
 * memory at full size). Lossy, lossless and alpha; {@code WebPDecode} does not take animations.
 */
public final class WebpDecoder implements AutoCloseable {

  /** Bytes handed to libwebp between two looks at the stop signal. */
  private static final int SLICE = 64 * 1024;

  private final Memory data;
  private final Memory config;

  private WebpDecoder(Memory data, Memory config) {
    this.data = data;
    this.config = config;
  }

  /** @return whether libwebp could be loaded on this node */
  public static boolean available() {
    return WebpLibrary.LOAD_FAILURE == null;
  }

  /** Why libwebp could not be loaded, or null. */
  public static Throwable unavailableBecause() {
    return WebpLibrary.LOAD_FAILURE;
  }

  /**
   * Reads the headers of a WebP file held in memory.
   *
   * @throws IllegalArgumentException when the headers are not those of a WebP libwebp can decode
   */
  public static WebpDecoder open(byte[] file) {
    Memory data = new Memory(Math.max(1, file.length));
    data.write(0, file, 0, file.length);
    Memory config = WebpLibrary.newConfig();
    int status = WebpLibrary.WebPGetFeaturesInternal(data, new NativeLong(file.length), config, WebpLibrary.DECODER_ABI_VERSION);
    if (status != WebpLibrary.VP8_STATUS_OK) {
      data.close();
      config.close();
      throw new IllegalArgumentException("not a decodable WebP (libwebp status " + status + ")");
    }
    return new WebpDecoder(data, config);
  }

  public int width() {
    return config.getInt(WebpLibrary.FEATURES_WIDTH);
  }

  public int height() {
    return config.getInt(WebpLibrary.FEATURES_HEIGHT);
  }

  /** VP8L: decoded with a buffer of the whole picture, unlike lossy VP8. */
  public boolean lossless() {
    return config.getInt(WebpLibrary.FEATURES_FORMAT) == WebpLibrary.FORMAT_LOSSLESS;
  }

  public boolean animated() {
    return config.getInt(WebpLibrary.FEATURES_HAS_ANIMATION) != 0;
  }

  /**
   * Decodes, scaled to exactly {@code width x height} (the full size for no scaling), with alpha
   * composited over white. The bitstream is handed to libwebp in slices, and {@code stop} is asked
   * between them: libwebp has no other way to be stopped part-way.
   *
   * @throws IllegalArgumentException when the bitstream is corrupt or truncated
   * @throws CancellationException    when {@code stop} said so
   */
  public RgbImage decode(int width, int height, BooleanSupplier stop) {
    config.setInt(WebpLibrary.OUTPUT_COLORSPACE, WebpLibrary.MODE_RGBA);
    if (width != width() || height != height()) {
      config.setInt(WebpLibrary.OPTIONS_USE_SCALING, 1);
      config.setInt(WebpLibrary.OPTIONS_SCALED_WIDTH, width);
      config.setInt(WebpLibrary.OPTIONS_SCALED_HEIGHT, height);
    }
    Pointer output = config.share(WebpLibrary.OUTPUT);
    Pointer decoder = WebpLibrary.WebPIDecode(null, new NativeLong(0), config);
    if (decoder == null) {
      throw new IllegalArgumentException("libwebp refused the picture's settings");
    }
    try {
      int status = WebpLibrary.VP8_STATUS_SUSPENDED;
      for (long fed = 0; status == WebpLibrary.VP8_STATUS_SUSPENDED; ) {
        if (fed == data.size()) {
          throw new IllegalArgumentException("the WebP bitstream is truncated");
        }
        if (stop.getAsBoolean()) {
          throw new CancellationException("told to stop");
        }
        fed = Math.min(data.size(), fed + SLICE);
        status = WebpLibrary.WebPIUpdate(decoder, data, new NativeLong(fed));
      }
      if (status != WebpLibrary.VP8_STATUS_OK) {
        throw new IllegalArgumentException("libwebp could not decode the picture (status " + status + ")");
      }
      int w = config.getInt(WebpLibrary.OUTPUT_WIDTH);
      int h = config.getInt(WebpLibrary.OUTPUT_HEIGHT);
      int stride = config.getInt(WebpLibrary.OUTPUT_STRIDE);
      Pointer rgba = config.getPointer(WebpLibrary.OUTPUT_RGBA);
      return NativePixels.rgbaOverWhite(rgba, w, h, stride);
    } finally {
      WebpLibrary.WebPIDelete(decoder);
      WebpLibrary.WebPFreeDecBuffer(output);
    }
  }

  @Override
  public void close() {
    data.close();
    config.close();
  }
}
