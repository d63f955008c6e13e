package org.imgedge.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Decodes returned JPEGs with the JDK, independently of the service's codecs, and compares them. */
public final class Pixels {

  /** Side of the grid two images are compared on: coarse enough to ignore resampling noise. */
  static final int GRID = 32;

  private Pixels() {}

  public static BufferedImage decode(byte[] jpeg) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
      if (image == null) {
        throw new IllegalArgumentException("not an image ImageIO can read");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Mean absolute difference, 0..255 per RGB sample, of the two images averaged down to a
   * {@value #GRID}x{@value #GRID} grid. Images of different sizes are compared by relative position.
   */
  public static double meanAbsDiff(BufferedImage a, BufferedImage b) {
    double[] x = grid(a);
    double[] y = grid(b);
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs(x[i] - y[i]);
    }
    return sum / x.length;
  }

  private static double[] grid(BufferedImage image) {
    double[] sums = new double[GRID * GRID * 3];
    int[] counts = new int[GRID * GRID];
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = 0; y < h; y++) {
      int gy = y * GRID / h;
      for (int x = 0; x < w; x++) {
        int cell = gy * GRID + x * GRID / w;
        int rgb = image.getRGB(x, y);
        sums[cell * 3] += (rgb >> 16) & 0xff;
        sums[cell * 3 + 1] += (rgb >> 8) & 0xff;
        sums[cell * 3 + 2] += rgb & 0xff;
        counts[cell]++;
      }
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] /= Math.max(1, counts[i / 3]);
    }
    return sums;
  }
}
