package org.imgedge.imaging.codec;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AVIF through libheif's AV1 encoder (libaom in Debian's libheif1). Slow next to JPEG and WebP, so it is made
 * in the background, never while an upload waits.
 */
public final class AvifEncoder {

  private static final Throwable UNAVAILABLE = check();
  static final int THREADS = 1;
  static final int SPEED = 6;

  private AvifEncoder() {}

  private static Throwable check() {
    if (HeifEncodeLibrary.LOAD_FAILURE != null) {
      return HeifEncodeLibrary.LOAD_FAILURE;
    }
    try {
      return HeifEncodeLibrary.heif_have_encoder_for_format(HeifEncodeLibrary.COMPRESSION_AV1) != 0 ? null
          : new IllegalStateException("libheif has no AV1 encoder plugin");
    } catch (LinkageError | RuntimeException e) {
      return e;
    }
  }

  /** @return whether this node can write AVIF */
  public static boolean available() {
    return UNAVAILABLE == null;
  }

  /** Why it cannot, or null. */
  public static Throwable unavailableBecause() {
    return UNAVAILABLE;
  }

  /**
   * @param quality libheif's lossy quality 1..100
   * @param icc     the profile to tag it with, or null for sRGB
   * @param dir     where libheif writes the file before it is read back: the job's folder in the store's
   *     staging area (on the store's file system, cleaned with it); null for the temporary directory
   * @return an AVIF file
   * @throws IOException when libheif fails
   */
  public static byte[] encode(RgbImage image, int quality, byte[] icc, Path dir) throws IOException {
    if (!available()) {
      throw new IllegalStateException("AVIF encoding is unavailable: " + UNAVAILABLE);
    }
    Pointer context = null;
    Pointer encoder = null;
    Pointer heifImage = null;
    Path file = null;
    try {
      context = HeifEncodeLibrary.heif_context_alloc();
      if (context == null) {
        throw new IOException("libheif could not allocate a context");
      }
      PointerByReference ref = new PointerByReference();
      check(HeifEncodeLibrary.heif_context_get_encoder_for_format(context, HeifEncodeLibrary.COMPRESSION_AV1, ref));
      encoder = ref.getValue();
      check(HeifEncodeLibrary.heif_encoder_set_lossy_quality(encoder, quality));
      // aom's defaults take several cores per encode: one, so that the regeneration's concurrency is the number of
      // cores AVIF takes from uploads; speed (0 slowest .. 9) is set so that another libheif's default cannot move it:
      // 6 took the same CPU time as libheif 1.15's default (FormatSpeed)
      check(HeifEncodeLibrary.heif_encoder_set_parameter_integer(encoder, "threads", THREADS));
      check(HeifEncodeLibrary.heif_encoder_set_parameter_integer(encoder, "speed", SPEED));
      PointerByReference imageRef = new PointerByReference();
      check(HeifEncodeLibrary.heif_image_create(image.width(), image.height(), HeifLibrary.COLORSPACE_RGB,
          HeifLibrary.CHROMA_INTERLEAVED_RGB, imageRef));
      heifImage = imageRef.getValue();
      check(HeifEncodeLibrary.heif_image_add_plane(heifImage, HeifLibrary.CHANNEL_INTERLEAVED, image.width(), image.height(), 8));
      IntByReference stride = new IntByReference();
      Pointer plane = HeifEncodeLibrary.heif_image_get_plane(heifImage, HeifLibrary.CHANNEL_INTERLEAVED, stride);
      int row = image.width() * 3;
      for (int y = 0; y < image.height(); y++) {
        plane.write((long) y * stride.getValue(), image.rgb(), y * row, row);
      }
      if (icc != null) {
        check(HeifEncodeLibrary.heif_image_set_raw_color_profile(heifImage, "prof", icc, new NativeLong(icc.length)));
      }
      PointerByReference handle = new PointerByReference();
      check(HeifEncodeLibrary.heif_context_encode_image(context, heifImage, encoder, null, handle));
      HeifEncodeLibrary.heif_image_handle_release(handle.getValue());
      // libheif writes through a callback or to a file; a file keeps JNA callbacks (and their threads) out
      file = dir == null ? Files.createTempFile("imgedge-avif-", ".avif") : Files.createTempFile(dir, "avif-", ".avif");
      check(HeifEncodeLibrary.heif_context_write_to_file(context, file.toString()));
      return Files.readAllBytes(file);
    } finally {
      if (heifImage != null) {
        HeifEncodeLibrary.heif_image_release(heifImage);
      }
      if (encoder != null) {
        HeifEncodeLibrary.heif_encoder_release(encoder);
      }
      if (context != null) {
        HeifEncodeLibrary.heif_context_free(context);
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void check(HeifLibrary.Error e) throws IOException {
    if (e.code != 0) {
      throw new IOException("libheif: " + e.message + " (" + e.code + "/" + e.subcode + ")");
    }
  }
}
