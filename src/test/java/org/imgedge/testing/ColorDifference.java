package org.imgedge.testing;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * How far a variant's colours are from how the photo must look, as a viewer that honours profiles shows it:
 * the variant (JPEG or WebP) is read through its own embedded profile (sRGB when it has none), both it and the
 * reference are averaged down to {@value #WIDTH} pixels wide, and the mean CIE76 ΔE between them is taken. Every
 * step is the JDK's, the ImageIO readers', or textbook CIE; none is the service's.
 */
public final class ColorDifference {

  static final int WIDTH = 64;
  /** D65 white, as XYZ: sRGB's. */
  private static final double[] WHITE = {0.95047, 1.0, 1.08883};

  private ColorDifference() {}

  /** The ICC profile in a JPEG's APP2 segments, as the JDK's JPEG reader finds it, or in a WebP's ICCP chunk. */
  public static Optional<ICC_Profile> embeddedProfile(byte[] variant) {
    if (isWebp(variant)) {
      return webpProfile(variant);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(variant))) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
      try {
        reader.setInput(in);
        Node tree = reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
        return find(tree, "app2ICC").map(n -> (ICC_Profile) ((IIOMetadataNode) n).getUserObject());
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @param reference an sRGB picture of the same photo, any size */
  public static double meanDeltaE(byte[] variantFile, BufferedImage reference) {
    // The JPEG and WebP readers read the numbers through the embedded profile (APP2, ICCP) into sRGB as they decode.
    BufferedImage variant = Pixels.decode(variantFile);
    double[][] a = averaged(variant);
    double[][] b = averaged(reference);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double[] x = lab(a[i]);
      double[] y = lab(b[i]);
      sum += Math.sqrt(Math.pow(x[0] - y[0], 2) + Math.pow(x[1] - y[1], 2) + Math.pow(x[2] - y[2], 2));
    }
    return sum / a.length;
  }

  private static boolean isWebp(byte[] file) {
    return file.length >= 12 && new String(file, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
        && new String(file, 8, 4, StandardCharsets.US_ASCII).equals("WEBP");
  }

  /** The ICCP chunk among the RIFF chunks after the header (RFC 9649): a tag, a little-endian size, the data, a pad byte to even. */
  private static Optional<ICC_Profile> webpProfile(byte[] webp) {
    ByteBuffer chunks = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).position(12);
    while (chunks.remaining() >= 8) {
      String tag = new String(webp, chunks.position(), 4, StandardCharsets.US_ASCII);
      int size = chunks.position(chunks.position() + 4).getInt();
      if (tag.equals("ICCP")) {
        return Optional.of(ICC_Profile.getInstance(Arrays.copyOfRange(webp, chunks.position(), chunks.position() + size)));
      }
      chunks.position(Math.min(chunks.limit(), chunks.position() + size + (size & 1)));
    }
    return Optional.empty();
  }

  /**
   * Area averages of sRGB samples on a grid {@value #WIDTH} wide, with the picture's aspect: each pixel counts
   * towards the cells it covers, in proportion, so pictures of any size land on the same grid.
   */
  private static double[][] averaged(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int rows = Math.max(1, Math.round((float) WIDTH * h / w));
    double[][] sums = new double[WIDTH * rows][4];
    WritableRaster raster = image.getRaster();
    int[] pixel = new int[raster.getNumBands()];
    double[][] across = shares(w, WIDTH);
    double[][] down = shares(h, rows);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(x, y, pixel);
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            double weight = down[y][2 * dy + 1] * across[x][2 * dx + 1];
            if (weight > 0) {
              double[] cell = sums[(int) down[y][2 * dy] * WIDTH + (int) across[x][2 * dx]];
              for (int c = 0; c < 3; c++) {
                cell[c] += weight * pixel[pixel.length >= 3 ? c : 0];
              }
              cell[3] += weight;
            }
          }
        }
      }
    }
    for (double[] cell : sums) {
      for (int c = 0; c < 3; c++) {
        cell[c] /= cell[3];
      }
    }
    return sums;
  }

  /**
   * For each of {@code size} pixels: the first cell it covers and its share of it, then the next cell and the rest
   * (a cell is at least a pixel wide, so a pixel covers two at most).
   */
  private static double[][] shares(int size, int cells) {
    double[][] out = new double[size][4];
    for (int p = 0; p < size; p++) {
      double start = (double) p * cells / size;
      double end = (double) (p + 1) * cells / size;
      int first = (int) start;
      double boundary = Math.min(first + 1, end);
      out[p][0] = first;
      out[p][1] = (boundary - start) / (end - start);
      out[p][2] = Math.min(first + 1, cells - 1);
      out[p][3] = 1 - out[p][1];
    }
    return out;
  }

  /** sRGB samples 0..255 to CIELAB (D65). */
  private static double[] lab(double[] rgb) {
    double[] linear = new double[3];
    for (int c = 0; c < 3; c++) {
      double v = rgb[c] / 255;
      linear[c] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    double[] xyz = {
        0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2],
        0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2],
        0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]};
    double[] f = new double[3];
    for (int c = 0; c < 3; c++) {
      double t = xyz[c] / WHITE[c];
      f[c] = t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
    return new double[] {116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])};
  }

  private static Optional<Node> find(Node node, String name) {
    if (name.equals(node.getNodeName())) {
      return Optional.of(node);
    }
    for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
      Optional<Node> found = find(child, name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }
}
