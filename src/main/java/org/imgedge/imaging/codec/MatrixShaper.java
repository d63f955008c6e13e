package org.imgedge.imaging.codec;

import java.util.Optional;

/**
 * The conversion to sRGB of a profile made of three colorants and three curves (Display P3, Adobe RGB, ProPhoto and
 * most camera profiles), applied to a JPEG variant's YCbCr planes on their way to the encoder. It computes what
 * LittleCMS computes for such a profile: each sample through its curve to linear light, the colorants' matrix into
 * sRGB's primaries (clipped to its gamut), sRGB's curve back. LittleCMS needs packed RGB, so a variant converted by
 * it is also converted from its planes to RGB before and back to YCbCr in the encoder after: the three together cost
 * as much as the rest of a 2 MP photo's upload. Here it is one pass over the planes.
 *
 * <p>Each chroma sample's pixels share its colour, as {@link YCbCr#toRgb} spreads it; the converted colours of those
 * pixels are averaged back into the sample. Immutable, and used by any number of jobs at once.
 */
public final class MatrixShaper {

  /** Linear light in fixed point with this many fractional bits: the darkest step of an 8-bit sample is 5 units. */
  private static final int LINEAR_BITS = 14;
  private static final int ONE = 1 << LINEAR_BITS;
  /** sRGB's curve from linear light, for every fixed-point value 0..ONE. */
  private static final byte[] TO_SRGB = srgbCurve();

  /** Per channel, the profile's curve at each 8-bit sample, in linear fixed point. */
  private final int[][] toLinear;
  /** The profile's linear RGB to sRGB's, row by row, LINEAR_BITS fractional bits. */
  private final int[] matrix = new int[9];

  /**
   * @param colorants the profile's red, green and blue in XYZ (D50, as profiles store them)
   * @param srgb      sRGB's, the same way
   * @param curves    per channel, the profile's curve sampled at {@code i / 255} for i = 0..255
   */
  MatrixShaper(double[][] colorants, double[][] srgb, float[][] curves) {
    double[][] m = multiply(invert(columns(srgb)), columns(colorants));
    for (int i = 0; i < 9; i++) {
      matrix[i] = (int) Math.round(m[i / 3][i % 3] * ONE);
    }
    toLinear = new int[3][256];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 256; i++) {
        toLinear[c][i] = (int) Math.round(Math.min(1, Math.max(0, curves[c][i])) * ONE);
      }
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
    int step = chroma.get() == Chroma.SUBSAMPLED ? 2 : 1;
    int width = in.width();
    int height = in.height();
    byte[] y = new byte[in.y().length];
    byte[] cb = new byte[in.cb().length];
    byte[] cr = new byte[in.cr().length];
    int[] rgb = new int[3];
    for (int cy = 0, c = 0; cy < in.chromaHeight(); cy++) {
      for (int cx = 0; cx < in.chromaWidth(); cx++, c++) {
        int blue = in.cb()[c] & 0xFF;
        int red = in.cr()[c] & 0xFF;
        int redOffset = YCbCr.Tables.RED_FROM_CR[red];
        int greenOffset = YCbCr.Tables.GREEN_FROM_CB[blue] + YCbCr.Tables.GREEN_FROM_CR[red];
        int blueOffset = YCbCr.Tables.BLUE_FROM_CB[blue];
        int sumRed = 0, sumGreen = 0, sumBlue = 0, pixels = 0;
        for (int row = cy * step; row < Math.min(height, cy * step + step); row++) {
          for (int col = cx * step, i = row * width + col; col < Math.min(width, cx * step + step); col++, i++) {
            int luma = (in.y()[i] & 0xFF) << 16;
            convert(YCbCr.clamp(luma + redOffset) & 0xFF, YCbCr.clamp(luma + greenOffset) & 0xFF,
                YCbCr.clamp(luma + blueOffset) & 0xFF, rgb);
            y[i] = (byte) ((19595 * rgb[0] + 38470 * rgb[1] + 7471 * rgb[2] + 32768) >> 16);
            sumRed += rgb[0];
            sumGreen += rgb[1];
            sumBlue += rgb[2];
            pixels++;
          }
        }
        // JFIF's Cb and Cr of the pixels' mean colour, 16 fractional bits; rounded, and never past 0..255
        cb[c] = sample((-11059 * sumRed - 21709 * sumGreen + 32768 * sumBlue) / pixels + (128 << 16) + 32768);
        cr[c] = sample((32768 * sumRed - 27439 * sumGreen - 5329 * sumBlue) / pixels + (128 << 16) + 32768);
      }
    }
    return Optional.of(new YCbCr(width, height, y, in.chromaWidth(), in.chromaHeight(), cb, cr));
  }

  /** One pixel's samples in the profile's space to sRGB's, into {@code out}. */
  private void convert(int red, int green, int blue, int[] out) {
    int r = toLinear[0][red];
    int g = toLinear[1][green];
    int b = toLinear[2][blue];
    for (int c = 0; c < 3; c++) {
      int linear = (matrix[3 * c] * r + matrix[3 * c + 1] * g + matrix[3 * c + 2] * b + (ONE >> 1)) >> LINEAR_BITS;
      out[c] = TO_SRGB[linear < 0 ? 0 : Math.min(linear, ONE)] & 0xFF;
    }
  }

  private static byte sample(int fixed) {
    int v = fixed >> 16;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
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
