package org.imgedge.imaging.codec;

import static org.imgedge.imaging.codec.TurboJpegLibrary.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Optional;

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
  public Optional<YCbCr> decodeYCbCr(ByteBuffer jpeg, int minWidth, int minHeight) throws IOException {
    JpegHeader.parse(jpeg); // refuses non-JPEG and empty input before any native call
    Memory copy = null;
    Pointer src;
    if (jpeg.isDirect()) {
      src = Native.getDirectBufferPointer(jpeg);
    } else {
      copy = new Memory(jpeg.limit());
      byte[] bytes = new byte[jpeg.limit()];
      jpeg.get(0, bytes);
      copy.write(0, bytes, 0, bytes.length);
      src = copy;
    }
    Pointer handle = tjInitDecompress();
    if (handle == null) {
      throw new IllegalStateException("tjInitDecompress failed");
    }
    try (Memory header = new Memory(16)) {
      NativeLong size = new NativeLong(jpeg.limit());
      if (tjDecompressHeader3(handle, src, size, header, header.share(4), header.share(8), header.share(12)) != 0) {
        throw new IOException("JPEG header: " + tjGetErrorStr2(handle));
      }
      int subsamp = header.getInt(8);
      if (header.getInt(12) != TJCS_YCBCR || subsamp < TJSAMP_444 || subsamp > TJSAMP_411 || subsamp == TJSAMP_GRAY) {
        return Optional.empty();
      }
      int[] s = chooseScale(scalingFactors, header.getInt(0), header.getInt(4), minWidth, minHeight);
      int w = scaled(header.getInt(0), s);
      int h = scaled(header.getInt(4), s);
      // TurboJPEG pads the luma plane to whole chroma samples; we crop it. Chroma planes are used as they are.
      int lumaWidth = tjPlaneWidth(0, w, subsamp), lumaHeight = tjPlaneHeight(0, h, subsamp);
      int cw = tjPlaneWidth(1, w, subsamp), ch = tjPlaneHeight(1, h, subsamp);
      if (lumaWidth < w || lumaHeight < h || cw < 1 || ch < 1) {
        return Optional.empty();
      }
      try (Memory y = new Memory((long) lumaWidth * lumaHeight);
          Memory cb = new Memory((long) cw * ch);
          Memory cr = new Memory((long) cw * ch);
          Memory planes = new Memory(3L * Native.POINTER_SIZE)) {
        planes.setPointer(0, y);
        planes.setPointer(Native.POINTER_SIZE, cb);
        planes.setPointer(2L * Native.POINTER_SIZE, cr);
        if (tjDecompressToYUVPlanes(handle, src, size, planes, w, null, h, DECODE_FLAGS) != 0) {
          throw new IOException("JPEG decode: " + tjGetErrorStr2(handle));
        }
        byte[] luma = new byte[w * h];
        for (int row = 0; row < h; row++) {
          y.read((long) row * lumaWidth, luma, row * w, w);
        }
        return Optional.of(new YCbCr(w, h, luma, cw, ch, cb.getByteArray(0, cw * ch), cr.getByteArray(0, cw * ch)));
      }
    } finally {
      tjDestroy(handle);
      if (copy != null) {
        copy.close();
      }
      Reference.reachabilityFence(jpeg);
    }
  }

  @Override
  public byte[] encode(YCbCr image, int quality, boolean progressive) throws IOException {
    Chroma chroma = image.chroma().orElseThrow(() -> new IllegalArgumentException("the encoder takes 4:2:0 or 4:4:4 planes"));
    int w = image.width(), h = image.height();
    // At 4:2:0 the encoder reads an even-sized luma plane; odd edges repeat the last column and row.
    int lumaWidth = chroma == Chroma.SUBSAMPLED ? w + (w & 1) : w;
    int lumaHeight = chroma == Chroma.SUBSAMPLED ? h + (h & 1) : h;
    int chromaBytes = image.cb().length;
    try (Memory y = new Memory((long) lumaWidth * lumaHeight);
        Memory cb = new Memory(chromaBytes);
        Memory cr = new Memory(chromaBytes);
        Memory planes = new Memory(3L * Native.POINTER_SIZE)) {
      for (int row = 0; row < lumaHeight; row++) {
        int from = Math.min(row, h - 1) * w;
        y.write((long) row * lumaWidth, image.y(), from, w);
        if (lumaWidth > w) {
          y.setByte((long) row * lumaWidth + w, image.y()[from + w - 1]);
        }
      }
      cb.write(0, image.cb(), 0, chromaBytes);
      cr.write(0, image.cr(), 0, chromaBytes);
      planes.setPointer(0, y);
      planes.setPointer(Native.POINTER_SIZE, cb);
      planes.setPointer(2L * Native.POINTER_SIZE, cr);
      return compress((handle, bufRef, sizeRef) ->
          tjCompressFromYUVPlanes(handle, planes, w, null, h, subsampling(chroma), bufRef, sizeRef, quality,
              progressive ? TJFLAG_PROGRESSIVE : 0));
    }
  }

  @Override
  public byte[] encode(YCbCr image, int quality) throws IOException {
    return encode(image, quality, false);
  }

  @Override
  public byte[] encode(RgbImage image, int quality, boolean progressive, Chroma chroma) throws IOException {
    try (Memory src = new Memory(image.rgb().length)) {
      src.write(0, image.rgb(), 0, image.rgb().length);
      return compress((handle, bufRef, sizeRef) ->
          tjCompress2(handle, src, image.width(), 0, image.height(), TJPF_RGB, bufRef, sizeRef, subsampling(chroma), quality,
              progressive ? TJFLAG_PROGRESSIVE : 0));
    }
  }

  private static int subsampling(Chroma chroma) {
    return chroma == Chroma.SUBSAMPLED ? TJSAMP_420 : TJSAMP_444;
  }

  /** One TurboJPEG compress call, given a handle and the references to the output it allocates. */
  private interface CompressCall {
    int run(Pointer handle, Memory bufRef, Memory sizeRef);
  }

  /**
   * Runs a compress call on a handle of its own. TurboJPEG allocates the output (we pass NULL); it is
   * copied to the heap, then freed with tjFree, and the handle destroyed, whatever happens.
   */
  private static byte[] compress(CompressCall call) throws IOException {
    Pointer handle = tjInitCompress();
    if (handle == null) {
      throw new IllegalStateException("tjInitCompress failed");
    }
    Pointer jpeg = null;
    try (Memory bufRef = new Memory(Native.POINTER_SIZE); Memory sizeRef = new Memory(Native.LONG_SIZE)) {
      bufRef.setPointer(0, null);
      sizeRef.setNativeLong(0, new NativeLong(0));
      int rc = call.run(handle, bufRef, sizeRef);
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
