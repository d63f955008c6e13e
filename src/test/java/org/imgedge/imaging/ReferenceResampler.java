package org.imgedge.imaging;

/**
 * The yardstick for the production resampler: Lanczos-3 in double precision from the full-resolution original,
 * with no intermediate rounding and no fixed point. It works on the luma plane only, which is what SSIM looks
 * at; luma is linear in R, G and B, so this equals resampling each channel and then taking luma (up to the
 * final clamp to 0..255, applied here to luma).
 *
 * <p>Same geometry as any centred resampler: output pixel i covers input [i * s, (i + 1) * s), the kernel is
 * stretched by s when shrinking, and weights cut by an edge are renormalised.
 */
final class ReferenceResampler {

  private ReferenceResampler() {}

  static Ssim.Luma resize(Ssim.Luma src, int width, int height) {
    int w = src.width(), h = src.height();
    // Horizontal first: it shrinks the plane before the second pass reads it.
    double[] rows = new double[width * h];
    Kernel kx = Kernel.of(w, width);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < width; x++) {
        double s = 0;
        for (int k = 0; k < kx.count[x]; k++) {
          s += kx.weight[x][k] * src.y()[y * w + kx.start[x] + k];
        }
        rows[y * width + x] = s;
      }
    }
    Kernel ky = Kernel.of(h, height);
    double[] out = new double[width * height];
    for (int y = 0; y < height; y++) {
      for (int k = 0; k < ky.count[y]; k++) {
        double wk = ky.weight[y][k];
        int row = (ky.start[y] + k) * width;
        for (int x = 0; x < width; x++) {
          out[y * width + x] += wk * rows[row + x];
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, Math.min(255, out[i]));
    }
    return new Ssim.Luma(width, height, out);
  }

  private record Kernel(int[] start, int[] count, double[][] weight) {

    static Kernel of(int in, int out) {
      double scale = (double) in / out;
      double stretch = Math.max(1, scale);
      double support = 3 * stretch;
      int[] start = new int[out];
      int[] count = new int[out];
      double[][] weight = new double[out][];
      for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - support));
        int hi = Math.min(in, (int) Math.ceil(centre + support));
        double[] w = new double[hi - lo];
        double sum = 0;
        for (int j = lo; j < hi; j++) {
          w[j - lo] = lanczos3((j + 0.5 - centre) / stretch);
          sum += w[j - lo];
        }
        for (int k = 0; k < w.length; k++) {
          w[k] /= sum;
        }
        start[i] = lo;
        count[i] = w.length;
        weight[i] = w;
      }
      return new Kernel(start, count, weight);
    }

    private static double lanczos3(double x) {
      if (Math.abs(x) < 1e-12) {
        return 1;
      }
      if (Math.abs(x) >= 3) {
        return 0;
      }
      double px = Math.PI * x;
      return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
    }
  }
}
