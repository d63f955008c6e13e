package org.imgedge.imaging;

import org.imgedge.imaging.codec.RgbImage;

/**
 * Separable Lanczos-3 resampling (windowed sinc, 3 lobes), vertical pass then horizontal pass.
 *
 * <p>Weights are computed once per output column and once per output row, normalised to sum to exactly
 * 1.0 in 14-bit fixed point (so flat areas stay exactly flat), and the window is cut at the image edges and
 * renormalised. The intermediate image is 8-bit, as in Pillow: the loss is below what JPEG throws away.
 *
 * <p>Vertical first: its inner loop runs along whole rows and the JIT vectorises it, so the strided,
 * scalar horizontal pass is left with only the output rows (half the work for a 2x shrink).
 */
final class Lanczos3Resampler {

  private static final int LOBES = 3;
  private static final int BITS = 14;
  private static final int ONE = 1 << BITS;
  private static final int HALF = 1 << (BITS - 1);

  private Lanczos3Resampler() {}

  static RgbImage resize(RgbImage src, int width, int height) {
    RgbImage tall = height == src.height() ? src : vertical(src, height);
    return width == src.width() ? tall : horizontal(tall, width);
  }

  private static RgbImage horizontal(RgbImage src, int outWidth) {
    Weights wx = Weights.of(src.width(), outWidth);
    RgbImage out = RgbImage.allocate(outWidth, src.height());
    byte[] in = src.rgb();
    byte[] dst = out.rgb();
    int inStride = src.width() * 3;
    int o = 0;
    for (int y = 0; y < src.height(); y++) {
      int row = y * inStride;
      for (int x = 0; x < outWidth; x++) {
        int p = row + wx.start[x] * 3;
        int base = x * wx.taps;
        int r = HALF, g = HALF, b = HALF;
        for (int k = 0, n = wx.count[x]; k < n; k++, p += 3) {
          int w = wx.weights[base + k];
          r += w * (in[p] & 0xff);
          g += w * (in[p + 1] & 0xff);
          b += w * (in[p + 2] & 0xff);
        }
        dst[o++] = clamp(r);
        dst[o++] = clamp(g);
        dst[o++] = clamp(b);
      }
    }
    return out;
  }

  /** Row-major accumulation over whole rows, so the inner loop is a straight run the JIT can vectorise. */
  private static RgbImage vertical(RgbImage src, int outHeight) {
    Weights wy = Weights.of(src.height(), outHeight);
    RgbImage out = RgbImage.allocate(src.width(), outHeight);
    byte[] in = src.rgb();
    byte[] dst = out.rgb();
    int stride = src.width() * 3;
    int[] acc = new int[stride];
    for (int y = 0; y < outHeight; y++) {
      java.util.Arrays.fill(acc, HALF);
      int base = y * wy.taps;
      for (int k = 0, n = wy.count[y]; k < n; k++) {
        int w = wy.weights[base + k];
        int row = (wy.start[y] + k) * stride;
        for (int i = 0; i < stride; i++) {
          acc[i] += w * (in[row + i] & 0xff);
        }
      }
      int o = y * stride;
      for (int i = 0; i < stride; i++) {
        dst[o + i] = clamp(acc[i]);
      }
    }
    return out;
  }

  private static byte clamp(int fixed) {
    int v = fixed >> BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
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
