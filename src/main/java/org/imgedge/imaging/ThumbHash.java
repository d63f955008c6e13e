package org.imgedge.imaging;

/**
 * The ThumbHash encoder, written from Evan Wallace's description of the format: the picture as a
 * handful of DCT coefficients of a luminance channel (up to 7 per side), two colour-difference channels
 * (3x3) and, when any pixel is not opaque, an alpha channel (5x5), quantised into 4-bit values behind a
 * 5-byte header (6 with alpha) that also carries the aspect ratio.
 *
 * <p>The arithmetic is done in the order the reference does it, in doubles, with fdlibm's cosine
 * ({@link StrictMath}, as JavaScript engines use), and rounding half up as JavaScript's Math.round: then
 * the bytes equal the reference's (ThumbHashReferenceTest checks that on the corpus).
 */
public final class ThumbHash {

  /** The largest side the format is defined for: bigger pictures are scaled down first. */
  public static final int MAX_SIDE = 100;

  private ThumbHash() {}

  /**
   * @param rgba {@code width * height} pixels, 4 bytes each (R, G, B, A, straight alpha), rows top to bottom
   * @return the hash, 5 to 25 bytes
   */
  public static byte[] encode(int width, int height, byte[] rgba) {
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("ThumbHash needs 1..100 pixels per side, not " + width + "x" + height);
    }
    int n = width * height;
    if (rgba.length != n * 4) {
      throw new IllegalArgumentException(rgba.length + " bytes are not " + width + "x" + height + " RGBA");
    }
    // The average colour, weighted by alpha: what transparent pixels are filled with below.
    double avgR = 0, avgG = 0, avgB = 0, avgA = 0;
    for (int i = 0, j = 0; i < n; i++, j += 4) {
      double alpha = u8(rgba[j + 3]) / 255.0;
      avgR += alpha / 255 * u8(rgba[j]);
      avgG += alpha / 255 * u8(rgba[j + 1]);
      avgB += alpha / 255 * u8(rgba[j + 2]);
      avgA += alpha;
    }
    if (avgA > 0) {
      avgR /= avgA;
      avgG /= avgA;
      avgB /= avgA;
    }
    boolean hasAlpha = avgA < n;
    int lLimit = hasAlpha ? 5 : 7; // alpha takes room: fewer luminance coefficients then
    int longSide = Math.max(width, height);
    int lx = (int) Math.max(1, Math.round((double) lLimit * width / longSide));
    int ly = (int) Math.max(1, Math.round((double) lLimit * height / longSide));

    // Luminance, two opponent colour channels (yellow-blue, red-green) and alpha, over the average colour.
    double[] l = new double[n], p = new double[n], q = new double[n], a = new double[n];
    for (int i = 0, j = 0; i < n; i++, j += 4) {
      double alpha = u8(rgba[j + 3]) / 255.0;
      double r = avgR * (1 - alpha) + alpha / 255 * u8(rgba[j]);
      double g = avgG * (1 - alpha) + alpha / 255 * u8(rgba[j + 1]);
      double b = avgB * (1 - alpha) + alpha / 255 * u8(rgba[j + 2]);
      l[i] = (r + g + b) / 3;
      p[i] = (r + g) / 2 - b;
      q[i] = r - g;
      a[i] = alpha;
    }
    Channel lc = Channel.of(l, width, height, Math.max(3, lx), Math.max(3, ly));
    Channel pc = Channel.of(p, width, height, 3, 3);
    Channel qc = Channel.of(q, width, height, 3, 3);
    Channel ac = hasAlpha ? Channel.of(a, width, height, 5, 5) : null;

    boolean landscape = width > height;
    long header24 = Math.round(63 * lc.dc)
        | Math.round(31.5 + 31.5 * pc.dc) << 6
        | Math.round(31.5 + 31.5 * qc.dc) << 12
        | Math.round(31 * lc.scale) << 18
        | (hasAlpha ? 1L : 0L) << 23;
    long header16 = (landscape ? ly : lx)
        | Math.round(63 * pc.scale) << 3
        | Math.round(63 * qc.scale) << 9
        | (landscape ? 1L : 0L) << 15;
    int acStart = hasAlpha ? 6 : 5;
    int acCount = lc.ac.length + pc.ac.length + qc.ac.length + (hasAlpha ? ac.ac.length : 0);
    byte[] hash = new byte[acStart + (acCount + 1) / 2];
    hash[0] = (byte) header24;
    hash[1] = (byte) (header24 >> 8);
    hash[2] = (byte) (header24 >> 16);
    hash[3] = (byte) header16;
    hash[4] = (byte) (header16 >> 8);
    if (hasAlpha) {
      hash[5] = (byte) (Math.round(15 * ac.dc) | Math.round(15 * ac.scale) << 4);
    }
    // Two 4-bit coefficients a byte, low nibble first.
    int index = 0;
    for (Channel c : hasAlpha ? new Channel[] {lc, pc, qc, ac} : new Channel[] {lc, pc, qc}) {
      for (double f : c.ac) {
        hash[acStart + (index >> 1)] |= (byte) (Math.round(15 * f) << ((index & 1) << 2));
        index++;
      }
    }
    return hash;
  }

  private static int u8(byte b) {
    return b & 0xff;
  }

  /**
   * One channel's DCT: the DC term, and the AC terms of the triangle {@code cx * ny < nx * (ny - cy)}
   * scaled into 0..1 by the largest of them ({@code scale}, which the header keeps).
   */
  private record Channel(double dc, double[] ac, double scale) {

    static Channel of(double[] channel, int w, int h, int nx, int ny) {
      double dc = 0, scale = 0;
      double[] ac = new double[nx * ny];
      int count = 0;
      double[] fx = new double[w];
      for (int cy = 0; cy < ny; cy++) {
        for (int cx = 0; cx * ny < nx * (ny - cy); cx++) {
          for (int x = 0; x < w; x++) {
            fx[x] = StrictMath.cos(Math.PI / w * cx * (x + 0.5));
          }
          double f = 0;
          for (int y = 0; y < h; y++) {
            double fy = StrictMath.cos(Math.PI / h * cy * (y + 0.5));
            for (int x = 0; x < w; x++) {
              f += channel[x + y * w] * fx[x] * fy;
            }
          }
          f /= w * h;
          if (cx > 0 || cy > 0) {
            ac[count++] = f;
            scale = Math.max(scale, Math.abs(f));
          } else {
            dc = f;
          }
        }
      }
      double[] terms = java.util.Arrays.copyOf(ac, count);
      if (scale > 0) {
        for (int i = 0; i < count; i++) {
          terms[i] = 0.5 + 0.5 / scale * terms[i];
        }
      }
      return new Channel(dc, terms, scale);
    }
  }
}
