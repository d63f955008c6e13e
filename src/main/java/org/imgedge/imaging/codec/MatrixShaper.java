package org.imgedge.imaging.codec;

import java.util.Optional;

/**
 * The conversion to sRGB of a profile made of three colorants and three curves (Display P3, Adobe RGB, ProPhoto and
 * most camera profiles), applied to a JPEG variant's YCbCr planes on their way to the encoder. It computes what
 * LittleCMS computes for such a profile: each sample through its curve to linear light, the colorants' matrix into
 * sRGB's primaries (clipped to its gamut), sRGB's curve back.
 *
 * <p>Why not LittleCMS: it needs packed RGB, so the planes would be converted to RGB before it and back to YCbCr in
 * the encoder after, and it spends 8 ns a pixel on the transform itself. Together that cost 10 ms on a 750x1000
 * variant, 40% of the whole upload of a 2 MP photo. Here it is one pass over the planes, with the matrix folded into
 * the curves' tables (see {@link #fromRed}), in about half that time.
 *
 * <p>Each chroma sample's pixels share its colour, as {@link YCbCr#toRgb} spreads it, and the converted colours of
 * those pixels are averaged back into the sample, as the encoder averages 4:2:0 chroma. Immutable, and used by any
 * number of jobs at once.
 */
public final class MatrixShaper {

  /** Linear light in fixed point with this many fractional bits: the darkest step of an 8-bit sample is 5 units. */
  private static final int LINEAR_BITS = 14;
  private static final int ONE = 1 << LINEAR_BITS;
  /** sRGB's curve from linear light, for every fixed-point value 0..ONE. */
  private static final byte[] TO_SRGB = srgbCurve();

  /** Each output channel's linear value, one field of a long per channel. */
  private static final int FIELD_BITS = 21;
  private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
  /** Above what the rounding of three shares can add to a channel's reach over the RGB cube. */
  private static final int ROUNDING = 4;
  /**
   * An RGB sample computed from Y and chroma runs from -227 to 480 before it is clamped; the tables are indexed
   * by it plus this.
   */
  private static final int INDEX_BIAS = 256;
  private static final int INDEXES = 768;

  /**
   * For each red sample (plus {@link #INDEX_BIAS}, clamped to 0..255 as JFIF clamps it): its linear light times the
   * matrix's red column, the share of sRGB's red, green and blue in fields 0, 1 and 2 of the long. A pixel's three
   * linear sRGB values are then the sum of three longs, one lookup per input sample. This one also carries the
   * bias that keeps every field of the sum positive.
   */
  private final long[] fromRed;
  private final long[] fromGreen;
  private final long[] fromBlue;
  /**
   * A field of the sum to its sRGB sample: clipped to sRGB's gamut (the sum less the bias, below 0 or above ONE)
   * and through sRGB's curve.
   */
  private final byte[] encode;

  /**
   * @param colorants the profile's red, green and blue in XYZ (D50, as profiles store them)
   * @param srgb      sRGB's, the same way
   * @param curves    per channel, the profile's curve sampled at {@code i / 255} for i = 0..255
   * @return empty when the matrix reaches too far for a field (no RGB profile's does) or is not a number
   */
  static Optional<MatrixShaper> of(double[][] colorants, double[][] srgb, float[][] curves) {
    double[][] m = multiply(invert(columns(srgb)), columns(colorants));
    // what each output channel can reach from inputs in 0..1: the negative entries at 1 to the positive ones at 1
    double low = 0, high = 1;
    for (double[] row : m) {
      double negative = 0, positive = 0;
      for (double entry : row) {
        negative += Math.min(0, entry);
        positive += Math.max(0, entry);
      }
      low = Math.min(low, negative);
      high = Math.max(high, positive);
    }
    double bias = Math.ceil(-low * ONE) + ROUNDING;
    double size = Math.ceil(high * ONE) + ROUNDING + bias + 1;
    if (!(size < 1 << FIELD_BITS)) { // NaN too: in double, so that a profile's extreme colorants cannot wrap an int
      return Optional.empty();
    }
    return Optional.of(new MatrixShaper(m, curves, (int) bias, (int) size));
  }

  private MatrixShaper(double[][] m, float[][] curves, int bias, int size) {
    long[][] shares = new long[3][INDEXES];
    for (int in = 0; in < 3; in++) {
      for (int index = 0; index < INDEXES; index++) {
        int sample = Math.max(0, Math.min(255, index - INDEX_BIAS));
        double linear = Math.min(1, Math.max(0, curves[in][sample]));
        long packed = 0;
        for (int out = 0; out < 3; out++) {
          // a negative share borrows from the next field; the bias in the sum pays it back
          packed += (Math.round(m[out][in] * linear * ONE) + (in == 0 ? bias : 0)) << (FIELD_BITS * out);
        }
        shares[in][index] = packed;
      }
    }
    fromRed = shares[0];
    fromGreen = shares[1];
    fromBlue = shares[2];
    encode = new byte[size];
    for (int field = 0; field < size; field++) {
      encode[field] = TO_SRGB[Math.max(0, Math.min(ONE, field - bias))];
    }
  }

  /**
   * @return the planes in sRGB, in the same layout; empty for a layout other than 4:2:0 and 4:4:4 (the caller then
   *     converts through RGB)
   */
  public Optional<YCbCr> apply(YCbCr in) {
    Optional<Chroma> chroma = in.chroma();
    if (chroma.isEmpty()) {
      return Optional.empty();
    }
    YCbCr out = new YCbCr(in.width(), in.height(), new byte[in.y().length], in.chromaWidth(), in.chromaHeight(),
        new byte[in.cb().length], new byte[in.cr().length]);
    if (chroma.get() == Chroma.SUBSAMPLED) {
      subsampled(in, out);
    } else {
      for (int i = 0; i < in.cb().length; i++) {
        pixel(in, out, i);
      }
    }
    return Optional.of(out);
  }

  /**
   * 4:2:0: the whole 2x2 blocks in one tight loop (where the time goes), then the blocks of one pixel across or down
   * at a right or bottom edge of odd size.
   */
  private void subsampled(YCbCr in, YCbCr out) {
    int width = in.width();
    byte[] y = in.y(), cb = in.cb(), cr = in.cr(), outY = out.y();
    int wholeRows = in.height() / 2, wholeColumns = width / 2;
    long[] fromRed = this.fromRed, fromGreen = this.fromGreen, fromBlue = this.fromBlue;
    byte[] encode = this.encode, outCb = out.cb(), outCr = out.cr();
    // rgb(), luma() and chroma() written out: packing each pixel's colour into an int and out again cost a fifth
    for (int cy = 0; cy < wholeRows; cy++) {
      for (int cx = 0, c = cy * in.chromaWidth(), i = 2 * cy * width; cx < wholeColumns; cx++, c++, i += 2) {
        int redIndex = redIndex(cr[c]), greenIndex = greenIndex(cb[c], cr[c]), blueIndex = blueIndex(cb[c]);
        int sumRed = 0, sumGreen = 0, sumBlue = 0;
        for (int k = 0; k < 4; k++) {
          int at = i + (k & 1) + (k >> 1) * width;
          int luma = y[at] & 0xFF;
          long fields = fromRed[luma + redIndex] + fromGreen[luma + greenIndex] + fromBlue[luma + blueIndex];
          int r = encode[(int) (fields & FIELD_MASK)] & 0xFF;
          int g = encode[(int) ((fields >>> FIELD_BITS) & FIELD_MASK)] & 0xFF;
          int b = encode[(int) (fields >>> (2 * FIELD_BITS))] & 0xFF;
          outY[at] = (byte) ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
          sumRed += r;
          sumGreen += g;
          sumBlue += b;
        }
        outCb[c] = sample(((-11059 * sumRed - 21709 * sumGreen + 32768 * sumBlue + (1 << 17)) >> 18) + 128);
        outCr[c] = sample(((32768 * sumRed - 27439 * sumGreen - 5329 * sumBlue + (1 << 17)) >> 18) + 128);
      }
    }
    if (wholeColumns < in.chromaWidth()) { // the right column, but for its bottom block when that is one too
      for (int cy = 0; cy < wholeRows; cy++) {
        edgeBlock(in, out, cy * in.chromaWidth() + wholeColumns, 2 * wholeColumns, 2 * cy);
      }
    }
    if (wholeRows < in.chromaHeight()) { // the bottom row
      for (int cx = 0; cx < in.chromaWidth(); cx++) {
        edgeBlock(in, out, wholeRows * in.chromaWidth() + cx, 2 * cx, 2 * wholeRows);
      }
    }
  }

  /**
   * The 1 or 2 pixels of 4:2:0 chroma sample {@code c} at a right or bottom edge of odd size, whose top left is
   * ({@code left}, {@code top}). The block is completed with copies of its pixels, as the encoder does, which leaves
   * their mean as it is.
   */
  private void edgeBlock(YCbCr in, YCbCr out, int c, int left, int top) {
    int width = in.width();
    boolean right = left + 1 < width;
    boolean below = top + 1 < in.height();
    int i = top * width + left;
    int redIndex = redIndex(in.cr()[c]);
    int greenIndex = greenIndex(in.cb()[c], in.cr()[c]);
    int blueIndex = blueIndex(in.cb()[c]);
    byte[] y = in.y();
    byte[] outY = out.y();
    int topLeft = rgb(y[i], redIndex, greenIndex, blueIndex);
    int topRight = right ? rgb(y[i + 1], redIndex, greenIndex, blueIndex) : topLeft;
    int bottomLeft = below ? rgb(y[i + width], redIndex, greenIndex, blueIndex) : topLeft;
    int bottomRight = !below ? topRight : right ? rgb(y[i + width + 1], redIndex, greenIndex, blueIndex) : bottomLeft;
    outY[i] = luma(topLeft);
    if (right) {
      outY[i + 1] = luma(topRight);
    }
    if (below) {
      outY[i + width] = luma(bottomLeft);
      if (right) {
        outY[i + width + 1] = luma(bottomRight);
      }
    }
    chroma(topLeft + topRight + bottomLeft + bottomRight, 2, out, c);
  }

  /** Pixel {@code i} of 4:4:4 planes. */
  private void pixel(YCbCr in, YCbCr out, int i) {
    byte cb = in.cb()[i];
    byte cr = in.cr()[i];
    int rgb = rgb(in.y()[i], redIndex(cr), greenIndex(cb, cr), blueIndex(cb));
    out.y()[i] = luma(rgb);
    chroma(rgb, 0, out, i);
  }

  /** JFIF's offsets of red, green and blue from Y, rounded as libjpeg rounds them, as indexes into the tables. */
  private static int redIndex(byte cr) {
    return ((YCbCr.Tables.RED_FROM_CR[cr & 0xFF] + (1 << 15)) >> 16) + INDEX_BIAS;
  }

  private static int greenIndex(byte cb, byte cr) {
    return ((YCbCr.Tables.GREEN_FROM_CB[cb & 0xFF] + YCbCr.Tables.GREEN_FROM_CR[cr & 0xFF] + (1 << 15)) >> 16) + INDEX_BIAS;
  }

  private static int blueIndex(byte cb) {
    return ((YCbCr.Tables.BLUE_FROM_CB[cb & 0xFF] + (1 << 15)) >> 16) + INDEX_BIAS;
  }

  /** One pixel in sRGB: red, green and blue in 10-bit fields, so that the pixels of a block add up without carrying. */
  private int rgb(byte luma, int redIndex, int greenIndex, int blueIndex) {
    int y = luma & 0xFF;
    long fields = fromRed[y + redIndex] + fromGreen[y + greenIndex] + fromBlue[y + blueIndex];
    return (encode[(int) (fields & FIELD_MASK)] & 0xFF) << 20
        | (encode[(int) ((fields >>> FIELD_BITS) & FIELD_MASK)] & 0xFF) << 10
        | (encode[(int) (fields >>> (2 * FIELD_BITS))] & 0xFF);
  }

  /** JFIF's Y of a pixel from {@link #rgb}. */
  private static byte luma(int rgb) {
    return (byte) ((19595 * (rgb >>> 20) + 38470 * ((rgb >>> 10) & 0x3FF) + 7471 * (rgb & 0x3FF) + 32768) >> 16);
  }

  /** JFIF's Cb and Cr of the mean of 2^{@code log2Pixels} pixels whose {@link #rgb}s add up to {@code sum}. */
  private static void chroma(int sum, int log2Pixels, YCbCr out, int c) {
    int red = sum >>> 20, green = (sum >>> 10) & 0x3FF, blue = sum & 0x3FF;
    int shift = 16 + log2Pixels;
    int half = 1 << (shift - 1);
    out.cb()[c] = sample(((-11059 * red - 21709 * green + 32768 * blue + half) >> shift) + 128);
    out.cr()[c] = sample(((32768 * red - 27439 * green - 5329 * blue + half) >> shift) + 128);
  }

  private static byte sample(int v) {
    return (byte) Math.max(0, Math.min(255, v));
  }

  /** IEC 61966-2-1. */
  private static byte[] srgbCurve() {
    byte[] curve = new byte[ONE + 1];
    for (int i = 0; i <= ONE; i++) {
      double linear = (double) i / ONE;
      double encoded = linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
      curve[i] = (byte) Math.round(encoded * 255);
    }
    return curve;
  }

  /** The colorants as the columns of RGB-to-XYZ. */
  private static double[][] columns(double[][] colorants) {
    double[][] m = new double[3][3];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        m[row][col] = colorants[col][row];
      }
    }
    return m;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] m = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
      }
    }
    return m;
  }

  private static double[][] invert(double[][] m) {
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double[][] inv = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        // the cofactor of (j, i), over the determinant
        int r1 = (j + 1) % 3, r2 = (j + 2) % 3, c1 = (i + 1) % 3, c2 = (i + 2) % 3;
        inv[i][j] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
    }
    return inv;
  }
}
