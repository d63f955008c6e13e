package org.imgedge.imaging.codec;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Lossy WebP of an RGB raster through libwebp; every call allocates and frees its own native buffers. */
public final class WebpEncoder {

  private WebpEncoder() {}

  /** @return whether libwebp's encoder could be loaded on this node */
  public static boolean available() {
    return WebpEncodeLibrary.LOAD_FAILURE == null;
  }

  /** Why the encoder could not be loaded, or null. */
  public static Throwable unavailableBecause() {
    return WebpEncodeLibrary.LOAD_FAILURE;
  }

  /**
   * Through libwebp's advanced API, for its {@code method}: config and picture are libwebp's structs, initialised
   * by libwebp itself; we set only the fields whose offsets are given in {@link WebpEncodeLibrary}.
   *
   * @param quality 1..100, libwebp's scale (not JPEG's: equal numbers do not give equal quality)
   * @return a RIFF WebP file (simple VP8 format, no metadata)
   * @throws IOException when libwebp fails (out of memory, a side above 16383)
   * @throws IllegalStateException when the library is not {@link #available()}
   */
  public static byte[] encode(RgbImage image, int quality) throws IOException {
    if (!available()) {
      throw new IllegalStateException("libwebp's encoder is unavailable: " + unavailableBecause());
    }
    byte[] rgb = image.rgb();
    try (Memory config = new Memory(WebpEncodeLibrary.CONFIG_BYTES);
        Memory picture = new Memory(WebpEncodeLibrary.PICTURE_BYTES);
        Memory writer = new Memory(WebpEncodeLibrary.MEMORY_WRITER_BYTES);
        Memory src = new Memory(rgb.length)) {
      config.clear();
      picture.clear();
      writer.clear();
      if (WebpEncodeLibrary.WebPConfigInitInternal(config, WebpEncodeLibrary.PRESET_DEFAULT, quality,
          WebpEncodeLibrary.ENCODER_ABI_VERSION) == 0) {
        throw new IOException("libwebp refused encoder ABI " + Integer.toHexString(WebpEncodeLibrary.ENCODER_ABI_VERSION));
      }
      config.setInt(WebpEncodeLibrary.CONFIG_METHOD, METHOD);
      if (WebpEncodeLibrary.WebPValidateConfig(config) == 0
          || WebpEncodeLibrary.WebPPictureInitInternal(picture, WebpEncodeLibrary.ENCODER_ABI_VERSION) == 0) {
        throw new IOException("libwebp refused the encoder configuration");
      }
      src.write(0, rgb, 0, rgb.length);
      picture.setInt(WebpEncodeLibrary.PICTURE_WIDTH, image.width());
      picture.setInt(WebpEncodeLibrary.PICTURE_HEIGHT, image.height());
      WebpEncodeLibrary.WebPMemoryWriterInit(writer);
      try {
        if (WebpEncodeLibrary.WebPPictureImportRGB(picture, src, image.width() * 3) == 0) {
          throw new IOException("WebP import of " + image.width() + "x" + image.height() + " failed");
        }
        picture.setPointer(WebpEncodeLibrary.PICTURE_WRITER, MEMORY_WRITE);
        picture.setPointer(WebpEncodeLibrary.PICTURE_CUSTOM_PTR, writer);
        if (WebpEncodeLibrary.WebPEncode(config, picture) == 0) {
          throw new IOException("WebP encode of " + image.width() + "x" + image.height() + " failed");
        }
        long size = writer.getLong(WebpEncodeLibrary.WRITER_SIZE);
        return writer.getPointer(WebpEncodeLibrary.WRITER_MEM).getByteArray(0, (int) size);
      } finally {
        WebpEncodeLibrary.WebPPictureFree(picture);
        WebpEncodeLibrary.WebPMemoryWriterClear(writer);
      }
    }
  }

  /**
   * libwebp's speed/size trade-off, 0 (fastest) to 6: its default 4 costs more time than an upload may spend on
   * it (bench/upload.sh); the quality is chosen for this method (bench/pipeline.sh).
   */
  static final int METHOD = 1;

  /** libwebp's own writer into a growing buffer, passed to it as the picture's writer. */
  private static final Pointer MEMORY_WRITE = available()
      ? NativeLibrary.getInstance(WebpEncodeLibrary.LIBRARY).getGlobalVariableAddress("WebPMemoryWrite") : null;

  /**
   * The simple-format WebP {@code encode} made with an ICC profile: the extended format (RFC 9649 section 2.7),
   * a VP8X chunk with the ICC flag, then the ICCP chunk, then the image's own chunk unchanged.
   */
  public static byte[] withIcc(byte[] webp, int width, int height, byte[] icc) {
    if (webp.length < 20 || webp[12] != 'V' || webp[13] != 'P' || webp[14] != '8') {
      throw new IllegalArgumentException("not a simple-format WebP");
    }
    int imageChunk = webp.length - 12;
    int iccChunk = 8 + icc.length + (icc.length & 1);
    ByteBuffer out = ByteBuffer.allocate(12 + 18 + iccChunk + imageChunk).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(4 + 18 + iccChunk + imageChunk).put(new byte[] {'W', 'E', 'B', 'P'});
    out.put(new byte[] {'V', 'P', '8', 'X'}).putInt(10).put((byte) 0x20).put(new byte[3]);
    putUint24(out, width - 1);
    putUint24(out, height - 1);
    out.put(new byte[] {'I', 'C', 'C', 'P'}).putInt(icc.length).put(icc);
    if ((icc.length & 1) == 1) {
      out.put((byte) 0);
    }
    out.put(webp, 12, imageChunk);
    return out.array();
  }

  private static void putUint24(ByteBuffer out, int value) {
    out.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }
}
