package org.imgedge.imaging.codec;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * HEIC and AVIF through libheif: the primary image of the file (the still of a Live Photo or a burst),
 * its size read from the header, then decoded with libheif's rotation and mirroring ({@code irot},
 * {@code imir}) applied, grid tiles put together, 10-bit samples brought to 8, and alpha composited over
 * white. libheif cannot decode to a smaller size: the whole picture is decoded, on as many threads as
 * the machine has cores (a 12 MP iPhone photo is a grid of 48 tiles).
 *
 * <p>Called only in the HEIF decoder's own process ({@code imaging.heif}): libheif 1.15 crashes on some
 * crafted files.
 */
public final class HeifDecoder implements AutoCloseable {

  /** The largest side any format of ours can declare (JPEG's 16 bits). */
  private static final int MAX_SIDE = 65_535;

  private final Memory data;
  private final Pointer context;
  private final Pointer handle;

  private HeifDecoder(Memory data, Pointer context, Pointer handle) {
    this.data = data;
    this.context = context;
    this.handle = handle;
  }

  /** @return whether libheif could be loaded on this node */
  public static boolean available() {
    return HeifLibrary.LOAD_FAILURE == null;
  }

  /** Why libheif could not be loaded, or null. */
  public static Throwable unavailableBecause() {
    return HeifLibrary.LOAD_FAILURE;
  }

  /**
   * Reads the container and the primary image's header; nothing is decoded. The file is read off the heap,
   * where libheif wants it whole.
   *
   * @throws IllegalArgumentException when libheif cannot read the container
   * @throws IOException              when the file cannot be read
   */
  public static HeifDecoder open(Path file) throws IOException {
    Memory data;
    long length;
    try (FileChannel channel = FileChannel.open(file)) {
      length = channel.size();
      data = new Memory(Math.max(1, length));
      ByteBuffer into = data.getByteBuffer(0, length);
      while (into.hasRemaining() && channel.read(into) >= 0) {
        // reads until the buffer is full or the file ends
      }
    }
    Pointer context = HeifLibrary.heif_context_alloc();
    try {
      HeifLibrary.heif_context_set_max_decoding_threads(context, Runtime.getRuntime().availableProcessors());
      // libheif's own size limit would fail the read as an error; the service's pixel limit, checked on the
      // size read here and before any decode, is what refuses a pixel flood, with its own answer (413)
      HeifLibrary.heif_context_set_maximum_image_size_limit(context, MAX_SIDE);
      check(HeifLibrary.heif_context_read_from_memory_without_copy(context, data, new NativeLong(length), null));
      PointerByReference handle = new PointerByReference();
      check(HeifLibrary.heif_context_get_primary_image_handle(context, handle));
      return new HeifDecoder(data, context, handle.getValue());
    } catch (RuntimeException e) {
      HeifLibrary.heif_context_free(context);
      data.close();
      throw e;
    }
  }

  /** The ICC profile in the primary image's {@code colr} box, if it has one. */
  public Optional<byte[]> iccProfile() {
    int type = HeifLibrary.heif_image_handle_get_color_profile_type(handle);
    if (type != HeifLibrary.PROFILE_ICC && type != HeifLibrary.PROFILE_RESTRICTED_ICC) {
      return Optional.empty();
    }
    long size = HeifLibrary.heif_image_handle_get_raw_color_profile_size(handle).longValue();
    if (size < 1 || size > IccProfile.MAX_BYTES) {
      return Optional.empty();
    }
    byte[] icc = new byte[(int) size];
    check(HeifLibrary.heif_image_handle_get_raw_color_profile(handle, icc));
    return Optional.of(icc);
  }

  /**
   * The colour primaries of the primary image's {@code nclx} description (ITU-T H.273: 1 is BT.709, as sRGB; 12 is
   * Display P3), or empty when it has none.
   */
  public OptionalInt nclxPrimaries() {
    if (HeifLibrary.heif_image_handle_get_color_profile_type(handle) != HeifLibrary.PROFILE_NCLX) {
      return OptionalInt.empty();
    }
    PointerByReference nclx = new PointerByReference();
    check(HeifLibrary.heif_image_handle_get_nclx_color_profile(handle, nclx));
    try {
      return OptionalInt.of(nclx.getValue().getInt(HeifLibrary.NCLX_PRIMARIES));
    } finally {
      HeifLibrary.heif_nclx_color_profile_free(nclx.getValue());
    }
  }

  /** Displayed width: rotations are applied by libheif. */
  public int width() {
    return HeifLibrary.heif_image_handle_get_width(handle);
  }

  public int height() {
    return HeifLibrary.heif_image_handle_get_height(handle);
  }

  /**
   * Decodes the whole picture, upright, and hands it on row by row.
   *
   * @throws IllegalArgumentException when the coded data is corrupt or truncated (libheif's warnings count)
   * @throws IOException              when {@code out} cannot take a row
   */
  public void decode(RgbRows out) throws IOException {
    boolean alpha = HeifLibrary.heif_image_handle_has_alpha_channel(handle) != 0;
    Pointer options = HeifLibrary.heif_decoding_options_alloc();
    PointerByReference image = new PointerByReference();
    try {
      int version = options.getByte(HeifLibrary.OPTIONS_VERSION);
      if (version >= 2) {
        options.setByte(HeifLibrary.OPTIONS_CONVERT_HDR_TO_8BIT, (byte) 1);
      }
      if (version >= 3) {
        options.setByte(HeifLibrary.OPTIONS_STRICT_DECODING, (byte) 1);
      }
      check(HeifLibrary.heif_decode_image(handle, image, HeifLibrary.COLORSPACE_RGB,
          alpha ? HeifLibrary.CHROMA_INTERLEAVED_RGBA : HeifLibrary.CHROMA_INTERLEAVED_RGB, options));
      IntByReference stride = new IntByReference();
      Pointer plane = HeifLibrary.heif_image_get_plane_readonly(image.getValue(), HeifLibrary.CHANNEL_INTERLEAVED, stride);
      if (plane == null) {
        throw new IllegalArgumentException("libheif gave no interleaved plane");
      }
      int w = HeifLibrary.heif_image_get_width(image.getValue(), HeifLibrary.CHANNEL_INTERLEAVED);
      int h = HeifLibrary.heif_image_get_height(image.getValue(), HeifLibrary.CHANNEL_INTERLEAVED);
      NativePixels.rows(plane, w, h, stride.getValue(), alpha, out);
    } finally {
      if (image.getValue() != null) {
        HeifLibrary.heif_image_release(image.getValue());
      }
      HeifLibrary.heif_decoding_options_free(options);
    }
  }

  private static void check(HeifLibrary.Error error) {
    if (error.code != 0) {
      throw new IllegalArgumentException("libheif: " + error.message + " (" + error.code + "/" + error.subcode + ")");
    }
  }

  @Override
  public void close() {
    HeifLibrary.heif_image_handle_release(handle);
    HeifLibrary.heif_context_free(context);
    data.close();
  }
}
