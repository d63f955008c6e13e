package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgedge.imaging.codec.Chroma;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.YCbCr;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conversion of YCbCr planes through a profile's colorants and curves gives the planes the encoder would make
 * from LittleCMS's conversion of the same pixels as RGB, to within rounding: on a photo in Adobe RGB, in both
 * layouts, and on a ramp of saturated Display P3 colours, which sRGB cannot show and both clip.
 */
class MatrixShaperTest {

  private static final Path ADOBE = Corpus.file("color", "adobe-rgb.jpg");

  @Test
  @DisplayName("4:4:4 planes: each pixel's Y, Cb and Cr match LittleCMS's conversion of its RGB")
  void fullChroma() throws Exception {
    RgbImage photo = JpegCodec.turbo().decode(Files.readAllBytes(ADOBE), 600, 800);
    assertMatches("adobe-rgb.jpg", YCbCrOf.full(photo), EmbeddedIcc.read(ADOBE, ImageFormat.JPEG).orElseThrow());
    assertMatches("P3 ramp", YCbCrOf.full(GeneratedImages.ramp(256, 64, 7)), IccProfile.displayP3());
  }

  @Test
  @DisplayName("4:2:0 planes of odd sizes: each pixel's Y, and each chroma sample as the mean of its pixels, match LittleCMS")
  void subsampledChroma() throws Exception {
    YCbCr decoded = JpegCodec.turbo().decodeYCbCr(ByteBuffer.wrap(Files.readAllBytes(ADOBE)), 1200, 1600).orElseThrow();
    // odd sides: the last column and row of chroma samples cover one pixel across or down
    for (int[] size : new int[][] {{599, 801}, {1, 7}, {7, 1}, {1, 1}}) {
      YCbCr odd = ((Raster.Planes) new Raster.Planes(decoded).resize(size[0], size[1], Chroma.SUBSAMPLED)).image();
      assertMatches("adobe-rgb.jpg, " + size[0] + "x" + size[1] + " 4:2:0", odd,
          EmbeddedIcc.read(ADOBE, ImageFormat.JPEG).orElseThrow());
    }
  }

  /** Converts {@code planes} both ways and compares them sample by sample. */
  private static void assertMatches(String name, YCbCr planes, byte[] icc) {
    try (IccProfile profile = IccProfile.parseRgb(icc).orElseThrow()) {
      YCbCr actual = profile.matrixShaper().orElseThrow().apply(planes).orElseThrow();
      YCbCr expected = YCbCrOf.sampledLike(planes, profile.toSrgb().apply(planes.toRgb()));
      for (int plane = 0; plane < 3; plane++) {
        byte[] e = plane == 0 ? expected.y() : plane == 1 ? expected.cb() : expected.cr();
        byte[] a = plane == 0 ? actual.y() : plane == 1 ? actual.cb() : actual.cr();
        int max = 0;
        long sum = 0;
        for (int i = 0; i < e.length; i++) {
          int d = Math.abs((e[i] & 0xFF) - (a[i] & 0xFF));
          max = Math.max(max, d);
          sum += d;
        }
        double mean = (double) sum / e.length;
        String which = name + " " + "Y Cb Cr".split(" ")[plane];
        System.out.printf("matrix-shaper against LittleCMS, %s: mean %.3f, max %d levels%n", which, mean, max);
        if (e.length >= 1000) { // on a few samples, one rounded the other way is not a mean
          assertThat(mean).as("%s mean difference", which).isLessThan(0.1);
        }
        assertThat(max).as("%s largest difference", which).isLessThanOrEqualTo(2);
      }
    }
  }

  /** JFIF's RGB to YCbCr, in floating point. */
  private static final class YCbCrOf {

    /** Every pixel its own chroma sample. */
    static YCbCr full(RgbImage image) {
      return sampledLike(new YCbCr(image.width(), image.height(), new byte[image.width() * image.height()], image.width(),
          image.height(), new byte[image.width() * image.height()], new byte[image.width() * image.height()]), image);
    }

    /** In {@code layout}'s chroma layout, each chroma sample the mean of its pixels' Cb and Cr. */
    static YCbCr sampledLike(YCbCr layout, RgbImage image) {
      int width = image.width(), height = image.height();
      int cw = layout.chromaWidth(), ch = layout.chromaHeight();
      byte[] y = new byte[width * height];
      double[] cb = new double[cw * ch], cr = new double[cw * ch];
      int[] pixels = new int[cw * ch];
      byte[] rgb = image.rgb();
      for (int row = 0, i = 0; row < height; row++) {
        for (int col = 0; col < width; col++, i++) {
          double r = rgb[3 * i] & 0xFF, g = rgb[3 * i + 1] & 0xFF, b = rgb[3 * i + 2] & 0xFF;
          int c = (row * ch / height) * cw + col * cw / width;
          y[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
          cb[c] += -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
          cr[c] += 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
          pixels[c]++;
        }
      }
      byte[] outCb = new byte[cb.length], outCr = new byte[cr.length];
      for (int c = 0; c < cb.length; c++) {
        outCb[c] = clamp(cb[c] / pixels[c]);
        outCr[c] = clamp(cr[c] / pixels[c]);
      }
      return new YCbCr(width, height, y, cw, ch, outCb, outCr);
    }

    private static byte clamp(double v) {
      return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
  }
}
