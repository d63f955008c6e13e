package org.imgedge.imaging;

import org.imgedge.imaging.codec.RgbImage;

/**
 * Separable Lanczos-3 resampling (windowed sinc, 3 lobes): a vertical pass, then the horizontal pass done as a
 * vertical pass on the image read and written column by column.
 *
 * <p>Weights are computed once per output column and once per output row, normalised to sum to exactly
 * 1.0 in 14-bit fixed point (so flat areas stay exactly flat), and the window is cut at the image edges and
 * renormalised. The intermediate image is 8-bit, as in Pillow: the loss is below what JPEG throws away.
 *
 * <p>Why only vertical passes: along a row every output sample is the same weighted sum of the samples
 * straight above it, a loop over plain int arrays with no branches that HotSpot turns into SIMD. A horizontal
 * pass over packed RGB gathers from a different offset per output pixel and stays scalar (it took twice as
 * long as the vertical pass while doing half the work). Reading columns as if they were rows costs a fraction of that.
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
    if (width == src.width() && height == src.height()) {
      return src;
    }
    return new RgbImage(width, height, resize(src.rgb(), src.width(), src.height(), 3, width, height));
  }

  /**
   * @param channels 3 for packed RGB, 1 for a single plane (luma or chroma)
   * @return the resized samples, or {@code src} itself when the size does not change
   */
  static byte[] resize(byte[] src, int srcWidth, int srcHeight, int channels, int width, int height) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("1 or 3 channels, not " + channels);
    }
    byte[] tall = height == srcHeight ? src : pass(src, srcWidth, srcHeight, channels, height, false);
    return width == srcWidth ? tall : pass(tall, srcWidth, height, channels, width, true);
  }

  /**
   * One filtering pass along columns ({@code across == false}: rows are the lines, so the height changes) or along
   * rows ({@code across == true}: columns are the lines, so the width changes). Either way each output line is a
   * weighted sum of whole input lines, channel-agnostic (a line is just bytes).
   *
   * <p>Input lines are widened to int once, into a ring indexed by line number modulo the tap count: output
   * windows only move forward, so a line is never needed again once a line {@code taps} further on has replaced
   * it. Across, the widening reads a column and the narrowing writes one: a transpose folded into the copies that
   * happen anyway, with both strided walks touching one cache line per row, which stay in L1/L2 for about 20
   * neighbouring columns.
   */
  private static byte[] pass(byte[] in, int width, int height, int channels, int outLines, boolean across) {
    int lines = across ? width : height;
    int length = (across ? height : width) * channels;
    Weights wl = Weights.of(lines, outLines);
    byte[] dst = new byte[Math.multiplyExact(outLines, length)];
    int stride = width * channels;
    int taps = wl.taps;
    int[][] ring = new int[taps][length];
    int[] held = new int[taps];
    java.util.Arrays.fill(held, -1);
    int[] acc = new int[length];
    for (int y = 0; y < outLines; y++) {
      int base = y * taps;
      int first = wl.start[y];
      int n = wl.count[y];
      for (int k = 0; k < n; k++) {
        int line = first + k;
        int slot = line % taps;
        if (held[slot] != line) {
          if (!across) {
            widen(in, line * length, ring[slot], length);
          } else if (channels == 3) {
            widenColumn3(in, line, stride, ring[slot], length);
          } else {
            widenColumn1(in, line, stride, ring[slot], length);
          }
          held[slot] = line;
        }
      }
      int k = 0;
      if (n >= 4) {
        // Four taps per sweep: a quarter of the loads and stores of the accumulator line.
        set4(acc, ring[first % taps], ring[(first + 1) % taps], ring[(first + 2) % taps],
            ring[(first + 3) % taps], wl.weights, base, length);
        k = 4;
      } else {
        java.util.Arrays.fill(acc, HALF);
      }
      for (; k + 4 <= n; k += 4) {
        int r = first + k;
        add4(acc, ring[r % taps], ring[(r + 1) % taps], ring[(r + 2) % taps], ring[(r + 3) % taps],
            wl.weights, base + k, length);
      }
      for (; k < n; k++) {
        add1(acc, ring[(first + k) % taps], wl.weights[base + k], length);
      }
      if (!across) {
        narrow(acc, dst, y * length, length);
      } else if (channels == 3) {
        narrowColumn3(acc, dst, y, outLines * 3, length);
      } else {
        narrowColumn1(acc, dst, y, outLines, length);
      }
    }
    return dst;
  }

  /** Column {@code x} of a plane, top to bottom. */
  private static void widenColumn1(byte[] in, int x, int stride, int[] line, int n) {
    for (int i = 0, p = x; i < n; i++, p += stride) {
      line[i] = in[p] & 0xff;
    }
  }

  private static void narrowColumn1(int[] acc, byte[] dst, int x, int stride, int n) {
    for (int i = 0, o = x; i < n; i++, o += stride) {
      dst[o] = (byte) Math.max(0, Math.min(255, acc[i] >> BITS));
    }
  }

  /** Column {@code x} of a packed RGB raster, top to bottom, as (R, G, B) ints. */
  private static void widenColumn3(byte[] in, int x, int stride, int[] line, int n) {
    for (int i = 0, p = x * 3; i < n; i += 3, p += stride) {
      line[i] = in[p] & 0xff;
      line[i + 1] = in[p + 1] & 0xff;
      line[i + 2] = in[p + 2] & 0xff;
    }
  }

  private static void narrowColumn3(int[] acc, byte[] dst, int x, int stride, int n) {
    for (int i = 0, o = x * 3; i < n; i += 3, o += stride) {
      dst[o] = (byte) Math.max(0, Math.min(255, acc[i] >> BITS));
      dst[o + 1] = (byte) Math.max(0, Math.min(255, acc[i + 1] >> BITS));
      dst[o + 2] = (byte) Math.max(0, Math.min(255, acc[i + 2] >> BITS));
    }
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
