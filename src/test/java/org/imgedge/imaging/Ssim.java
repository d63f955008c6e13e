package org.imgedge.imaging;

import org.imgedge.imaging.codec.RgbImage;

/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) on grey luma, the way the paper and most tools
 * measure it: an 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, averaged over every
 * window that lies fully inside the image (no padding). Luma is BT.601, {@code 0.299 R + 0.587 G + 0.114 B},
 * the Y that JPEG itself stores, kept in floating point.
 */
final class Ssim {

  private static final int RADIUS = 5;
  private static final double SIGMA = 1.5;
  private static final double C1 = sq(0.01 * 255);
  private static final double C2 = sq(0.03 * 255);
  private static final double[] KERNEL = gaussian();

  private Ssim() {}

  /** A grey plane, row-major, values nominally 0..255. */
  record Luma(int width, int height, double[] y) {

    Luma {
      if (y.length != width * height) {
        throw new IllegalArgumentException("plane of " + y.length + " is not " + width + "x" + height);
      }
    }

    static Luma of(RgbImage image) {
      byte[] rgb = image.rgb();
      double[] y = new double[image.width() * image.height()];
      for (int i = 0, p = 0; i < y.length; i++, p += 3) {
        y[i] = 0.299 * (rgb[p] & 0xff) + 0.587 * (rgb[p + 1] & 0xff) + 0.114 * (rgb[p + 2] & 0xff);
      }
      return new Luma(image.width(), image.height(), y);
    }
  }

  static double of(RgbImage a, RgbImage b) {
    return of(Luma.of(a), Luma.of(b));
  }

  /** @return mean SSIM, 1.0 for identical planes; both planes must be the same size and at least 11x11 */
  static double of(Luma a, Luma b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException(a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
    }
    int w = a.width(), h = a.height();
    if (w <= 2 * RADIUS || h <= 2 * RADIUS) {
      throw new IllegalArgumentException("SSIM needs at least 11x11 pixels");
    }
    double[] x = a.y(), y = b.y();
    double[] xx = new double[x.length], yy = new double[x.length], xy = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    double[] mx = blur(x, w, h), my = blur(y, w, h), sxx = blur(xx, w, h), syy = blur(yy, w, h), sxy = blur(xy, w, h);
    double sum = 0;
    for (int i = 0; i < mx.length; i++) {
      double ux = mx[i], uy = my[i];
      double vx = sxx[i] - ux * ux, vy = syy[i] - uy * uy, cov = sxy[i] - ux * uy;
      sum += (2 * ux * uy + C1) * (2 * cov + C2) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
    }
    return sum / mx.length;
  }

  /** Separable Gaussian, 'valid' region only: the result is (w - 10) x (h - 10). */
  private static double[] blur(double[] in, int w, int h) {
    int ow = w - 2 * RADIUS, oh = h - 2 * RADIUS;
    double[] rows = new double[ow * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int k = 0; k < KERNEL.length; k++) {
          s += KERNEL[k] * in[y * w + x + k];
        }
        rows[y * ow + x] = s;
      }
    }
    double[] out = new double[ow * oh];
    for (int y = 0; y < oh; y++) {
      for (int k = 0; k < KERNEL.length; k++) {
        double wk = KERNEL[k];
        int row = (y + k) * ow;
        for (int x = 0; x < ow; x++) {
          out[y * ow + x] += wk * rows[row + x];
        }
      }
    }
    return out;
  }

  private static double[] gaussian() {
    double[] k = new double[2 * RADIUS + 1];
    double sum = 0;
    for (int i = 0; i < k.length; i++) {
      k[i] = Math.exp(-sq(i - RADIUS) / (2 * SIGMA * SIGMA));
      sum += k[i];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  private static double sq(double v) {
    return v * v;
  }
}
