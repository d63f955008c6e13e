package org.imgedge.imaging;

import org.imgedge.imaging.codec.RgbImage;

/**
 * Separable Lanczos-3 resampling (windowed sinc, 3 lobes): a vertical pass, then the horizontal pass done as a
 * vertical pass on the transposed image.
 *
 * <p>Weights are computed once per output column and once per output row, normalised to sum to exactly
 * 1.0 in 14-bit fixed point (so flat areas stay exactly flat), and the window is cut at the image edges and
 * renormalised. The intermediate image is 8-bit, as in Pillow: the loss is below what JPEG throws away.
 *
 * <p>Why only vertical passes: along a row every output sample is the same weighted sum of the samples
 * straight above it, a loop over plain int arrays with no branches that HotSpot turns into SIMD. A horizontal
 * pass over packed RGB gathers from a different offset per output pixel and stays scalar (it took twice as
 * long as the vertical pass while doing half the work). Transposing the half-done image costs a fraction of that.
 * Java 17 does not vectorise byte-to-int widening, so each input row is widened once into a small ring of int
 * rows, which every output row that needs it then reads from cache.
 */
final class Lanczos3Resampler {

  private static final int LOBES = 3;
  private static final int BITS = 14;
  private static final int ONE = 1 << BITS;
  private static final int HALF = 1 << (BITS - 1);

  private Lanczos3Resampler() {}

  static RgbImage resize(RgbImage src, int width, int height) {
    RgbImage tall = height == src.height() ? src : vertical(src, height);
    return width == src.width() ? tall : transpose(vertical(transpose(tall), width));
  }

  /** Rows become columns; pixels (3 bytes) stay whole. Works in tiles so reads and writes both stay in cache. */
  static RgbImage transpose(RgbImage src) {
    int w = src.width(), h = src.height();
    RgbImage out = RgbImage.allocate(h, w);
    byte[] in = src.rgb();
    byte[] dst = out.rgb();
    int tile = 32;
    for (int y0 = 0; y0 < h; y0 += tile) {
      int y1 = Math.min(y0 + tile, h);
      for (int x0 = 0; x0 < w; x0 += tile) {
        int x1 = Math.min(x0 + tile, w);
        for (int x = x0; x < x1; x++) {
          int o = (x * h + y0) * 3;
          for (int y = y0, p = (y0 * w + x) * 3; y < y1; y++, p += w * 3, o += 3) {
            dst[o] = in[p];
            dst[o + 1] = in[p + 1];
            dst[o + 2] = in[p + 2];
          }
        }
      }
    }
    return out;
  }

  /**
   * Each output row is a weighted sum of whole input rows (channel-agnostic: a row is just bytes). Input rows are
   * widened to int once, into a ring indexed by row number modulo the tap count: output windows only move down,
   * so a row is never needed again once a row {@code taps} further down has replaced it.
   */
  private static RgbImage vertical(RgbImage src, int outHeight) {
    Weights wy = Weights.of(src.height(), outHeight);
    RgbImage out = RgbImage.allocate(src.width(), outHeight);
    byte[] in = src.rgb();
    byte[] dst = out.rgb();
    int stride = src.width() * 3;
    int[][] ring = new int[wy.taps][stride];
    int[] held = new int[wy.taps];
    java.util.Arrays.fill(held, -1);
    int[] acc = new int[stride];
    for (int y = 0; y < outHeight; y++) {
      int base = y * wy.taps;
      int first = wy.start[y];
      int n = wy.count[y];
      for (int k = 0; k < n; k++) {
        int row = first + k;
        int slot = row % wy.taps;
        if (held[slot] != row) {
          widen(in, row * stride, ring[slot], stride);
          held[slot] = row;
        }
      }
      int k = 0;
      if (n >= 4) {
        // Four taps per sweep: a quarter of the loads and stores of the accumulator row.
        set4(acc, ring[first % wy.taps], ring[(first + 1) % wy.taps], ring[(first + 2) % wy.taps],
            ring[(first + 3) % wy.taps], wy.weights, base, stride);
        k = 4;
      } else {
        java.util.Arrays.fill(acc, HALF);
      }
      for (; k + 4 <= n; k += 4) {
        int r = first + k;
        add4(acc, ring[r % wy.taps], ring[(r + 1) % wy.taps], ring[(r + 2) % wy.taps], ring[(r + 3) % wy.taps],
            wy.weights, base + k, stride);
      }
      for (; k < n; k++) {
        add1(acc, ring[(first + k) % wy.taps], wy.weights[base + k], stride);
      }
      narrow(acc, dst, y * stride, stride);
    }
    return out;
  }

  /** Back to 8 bits with rounding (HALF was added up front) and clamping; branch-free so it vectorises too. */
  private static void narrow(int[] acc, byte[] dst, int at, int n) {
    for (int i = 0; i < n; i++) {
      dst[at + i] = (byte) Math.max(0, Math.min(255, acc[i] >> BITS));
    }
  }

  private static void widen(byte[] in, int from, int[] row, int n) {
    for (int i = 0; i < n; i++) {
      row[i] = in[from + i] & 0xff;
    }
  }

  private static void set4(int[] acc, int[] a, int[] b, int[] c, int[] d, int[] weights, int at, int n) {
    int w0 = weights[at], w1 = weights[at + 1], w2 = weights[at + 2], w3 = weights[at + 3];
    for (int i = 0; i < n; i++) {
      acc[i] = HALF + w0 * a[i] + w1 * b[i] + w2 * c[i] + w3 * d[i];
    }
  }

  private static void add4(int[] acc, int[] a, int[] b, int[] c, int[] d, int[] weights, int at, int n) {
    int w0 = weights[at], w1 = weights[at + 1], w2 = weights[at + 2], w3 = weights[at + 3];
    for (int i = 0; i < n; i++) {
      acc[i] += w0 * a[i] + w1 * b[i] + w2 * c[i] + w3 * d[i];
    }
  }

  private static void add1(int[] acc, int[] a, int w, int n) {
    for (int i = 0; i < n; i++) {
      acc[i] += w * a[i];
    }
  }

  static double lanczos3(double x) {
    if (x == 0) {
      return 1;
    }
    if (x <= -LOBES || x >= LOBES) {
      return 0;
    }
    double px = Math.PI * x;
    return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
  }

  /** For each output index: the first input index, how many taps, and the fixed-point weights. */
  static final class Weights {
    final int taps;
    final int[] start;
    final int[] count;
    final int[] weights;

    private Weights(int taps, int outSize) {
      this.taps = taps;
      this.start = new int[outSize];
      this.count = new int[outSize];
      this.weights = new int[taps * outSize];
    }

    static Weights of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double stretch = Math.max(1.0, scale); // widen the kernel when shrinking, so it also low-pass filters
      double support = LOBES * stretch;
      Weights ws = new Weights((int) Math.ceil(support) * 2 + 2, outSize);
      double[] w = new double[ws.taps];
      for (int i = 0; i < outSize; i++) {
        double centre = (i + 0.5) * scale; // in input pixel coordinates, pixel j spans [j, j+1)
        int lo = Math.max(0, (int) Math.floor(centre - support));
        int hi = Math.min(inSize, (int) Math.ceil(centre + support));
        int n = Math.min(hi - lo, ws.taps);
        double sum = 0;
        for (int k = 0; k < n; k++) {
          w[k] = lanczos3((lo + k + 0.5 - centre) / stretch);
          sum += w[k];
        }
        ws.start[i] = lo;
        ws.count[i] = n;
        int base = i * ws.taps;
        int fixedSum = 0;
        int peak = 0;
        for (int k = 0; k < n; k++) {
          int f = (int) Math.round(w[k] / sum * ONE);
          ws.weights[base + k] = f;
          fixedSum += f;
          if (f > ws.weights[base + peak]) {
            peak = k;
          }
        }
        ws.weights[base + peak] += ONE - fixedSum; // rounding residue goes to the centre tap
      }
      return ws;
    }
  }
}
