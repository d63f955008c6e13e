package org.imgedge.imaging.codec;

import static org.imgedge.imaging.codec.TurboJpegLibrary.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * libjpeg-turbo through JNA. A TurboJPEG handle is not thread-safe, so every call makes and destroys its own
 * (that costs microseconds next to a decode). Native buffers are JNA {@link Memory}, closed in finally blocks.
 */
final class TurboJpegCodec implements JpegCodec {

  /** Warnings (truncation, bad Huffman data) must fail the decode rather than give a half-grey picture. */
  private static final int DECODE_FLAGS = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS | TJFLAG_ACCURATEDCT;

  /** The {num, denom} pairs libjpeg-turbo can scale by in the IDCT, only those <= 1, read once at load. */
  private static int[][] scalingFactors;

  private TurboJpegCodec() {}

  static synchronized TurboJpegCodec create() {
    if (LOAD_FAILURE != null) {
      throw new IllegalStateException("cannot load " + LIBRARY + ": " + LOAD_FAILURE.getMessage());
    }
    if (scalingFactors == null) {
      scalingFactors = readScalingFactors();
    }
    return new TurboJpegCodec();
  }

  @Override
  public String name() {
    return "libjpeg-turbo";
  }

  @Override
  public RgbImage decode(byte[] jpeg, int minWidth, int minHeight) throws IOException {
    boolean adobe = JpegHeader.parse(jpeg).adobe(); // also refuses empty input before Memory(0) would
    try (Memory src = new Memory(jpeg.length)) {
      src.write(0, jpeg, 0, jpeg.length);
      return decode(src, jpeg.length, adobe, minWidth, minHeight);
    }
  }

  /** A direct buffer (a mapped file) is read where it lies; a heap buffer is copied like an array. */
  @Override
  public RgbImage decode(ByteBuffer jpeg, int minWidth, int minHeight) throws IOException {
    boolean adobe = JpegHeader.parse(jpeg).adobe();
    if (!jpeg.isDirect()) {
      byte[] bytes = new byte[jpeg.limit()];
      jpeg.get(0, bytes);
      return decode(bytes, minWidth, minHeight);
    }
    try {
      return decode(Native.getDirectBufferPointer(jpeg), jpeg.limit(), adobe, minWidth, minHeight);
    } finally {
      Reference.reachabilityFence(jpeg); // a mapping freed mid-decode would be a crash, not an exception
    }
  }

  private RgbImage decode(Pointer src, long length, boolean adobe, int minWidth, int minHeight) throws IOException {
    Pointer handle = tjInitDecompress();
    if (handle == null) {
      throw new IllegalStateException("tjInitDecompress failed");
    }
    try (Memory header = new Memory(16)) {
      NativeLong size = new NativeLong(length);
      if (tjDecompressHeader3(handle, src, size, header, header.share(4), header.share(8), header.share(12)) != 0) {
        throw new IOException("JPEG header: " + tjGetErrorStr2(handle));
      }
      int width = header.getInt(0);
      int height = header.getInt(4);
      int colourspace = header.getInt(12);
      int[] s = chooseScale(scalingFactors, width, height, minWidth, minHeight);
      int w = scaled(width, s);
      int h = scaled(height, s);
      boolean cmyk = colourspace == TJCS_CMYK || colourspace == TJCS_YCCK;
      int pixelSize = cmyk ? 4 : 3;
      RgbImage out = RgbImage.allocate(w, h);
      try (Memory dst = new Memory((long) w * h * pixelSize)) {
        if (tjDecompress2(handle, src, size, dst, w, 0, h, cmyk ? TJPF_CMYK : TJPF_RGB, DECODE_FLAGS) != 0) {
          throw new IOException("JPEG decode: " + tjGetErrorStr2(handle));
        }
        if (cmyk) {
          byte[] samples = dst.getByteArray(0, w * h * 4);
          CmykToRgb.convert(samples, out.rgb(), adobe);
        } else {
          dst.read(0, out.rgb(), 0, out.rgb().length);
        }
      }
      return out;
    } finally {
      tjDestroy(handle);
    }
  }

  @Override
  public byte[] encode(RgbImage image, int quality) throws IOException {
    Pointer handle = tjInitCompress();
    if (handle == null) {
      throw new IllegalStateException("tjInitCompress failed");
    }
    Pointer jpeg = null;
    try (Memory src = new Memory(image.rgb().length);
        Memory bufRef = new Memory(Native.POINTER_SIZE);
        Memory sizeRef = new Memory(Native.LONG_SIZE)) {
      src.write(0, image.rgb(), 0, image.rgb().length);
      bufRef.setPointer(0, null); // NULL asks TurboJPEG to allocate the output, freed below with tjFree
      sizeRef.setNativeLong(0, new NativeLong(0));
      int rc = tjCompress2(handle, src, image.width(), 0, image.height(), TJPF_RGB,
          bufRef, sizeRef, TJSAMP_420, quality, 0);
      jpeg = bufRef.getPointer(0);
      if (rc != 0 || jpeg == null) {
        throw new IOException("JPEG encode: " + tjGetErrorStr2(handle));
      }
      return jpeg.getByteArray(0, (int) sizeRef.getNativeLong(0).longValue());
    } finally {
      if (jpeg != null) {
        tjFree(jpeg);
      }
      tjDestroy(handle);
    }
  }

  /**
   * Picks the smallest factor whose output still covers {@code minWidth x minHeight} (each capped at the
   * original), so the resampler gets at least 2x its target when the caller asks for that.
   */
  static int[] chooseScale(int[][] factors, int width, int height, int minWidth, int minHeight) {
    int needW = Math.min(minWidth, width);
    int needH = Math.min(minHeight, height);
    int[] best = {1, 1};
    long bestPixels = (long) width * height;
    for (int[] f : factors) {
      int w = scaled(width, f);
      int h = scaled(height, f);
      if (w >= needW && h >= needH && (long) w * h < bestPixels) {
        best = f;
        bestPixels = (long) w * h;
      }
    }
    return best;
  }

  /** TJSCALED: ceil(dimension * num / denom). */
  static int scaled(int dimension, int[] factor) {
    return (int) (((long) dimension * factor[0] + factor[1] - 1) / factor[1]);
  }

  private static int[][] readScalingFactors() {
    try (Memory count = new Memory(4)) {
      Pointer array = tjGetScalingFactors(count);
      int n = count.getInt(0);
      return java.util.stream.IntStream.range(0, n)
          .mapToObj(i -> new int[] {array.getInt(8L * i), array.getInt(8L * i + 4)})
          .filter(f -> f[0] > 0 && f[0] <= f[1])
          .toArray(int[][]::new);
    }
  }
}
