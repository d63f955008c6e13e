package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.MatrixShaper;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.YCbCr;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conversion of YCbCr planes through a profile's colorants and curves gives the colours LittleCMS gives for the
 * same pixels as RGB, to within the rounding of the planes: on a photo in Adobe RGB and on a ramp of saturated
 * Display P3 colours, which sRGB cannot show and both clip.
 */
class MatrixShaperTest {

  @Test
  @DisplayName("4:4:4 planes converted through the profile's matrix and curves match LittleCMS's conversion of their RGB")
  void matchesLittleCms() throws Exception {
    Path adobe = Corpus.file("color", "adobe-rgb.jpg");
    RgbImage photo = JpegCodec.turbo().decode(Files.readAllBytes(adobe), 600, 800);
    byte[] adobeProfile = EmbeddedIcc.read(adobe, ImageFormat.JPEG).orElseThrow();
    for (var sample : List.of(new Object[] {"adobe-rgb.jpg", photo, adobeProfile},
        new Object[] {"P3 ramp", GeneratedImages.ramp(256, 64, 7), IccProfile.displayP3()})) {
      RgbImage rgb = (RgbImage) sample[1];
      try (IccProfile profile = IccProfile.parseRgb((byte[]) sample[2]).orElseThrow()) {
        MatrixShaper shaper = profile.matrixShaper().orElseThrow();
        RgbImage expected = profile.toSrgb().apply(rgb);
        RgbImage actual = shaper.apply(fullChroma(rgb)).orElseThrow().toRgb();
        int max = 0;
        long sum = 0;
        for (int i = 0; i < expected.rgb().length; i++) {
          int d = Math.abs((expected.rgb()[i] & 0xFF) - (actual.rgb()[i] & 0xFF));
          max = Math.max(max, d);
          sum += d;
        }
        double mean = (double) sum / expected.rgb().length;
        System.out.printf("matrix-shaper against LittleCMS, %s: mean %.3f, max %d levels%n", sample[0], mean, max);
        assertThat(mean).as("%s mean difference", sample[0]).isLessThan(0.6);
        assertThat(max).as("%s largest difference", sample[0]).isLessThanOrEqualTo(4);
      }
    }
  }

  /** JFIF's RGB to YCbCr, every pixel its own chroma sample. */
  private static YCbCr fullChroma(RgbImage image) {
    int n = image.width() * image.height();
    byte[] y = new byte[n];
    byte[] cb = new byte[n];
    byte[] cr = new byte[n];
    byte[] rgb = image.rgb();
    for (int i = 0; i < n; i++) {
      double r = rgb[3 * i] & 0xFF, g = rgb[3 * i + 1] & 0xFF, b = rgb[3 * i + 2] & 0xFF;
      y[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      cb[i] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      cr[i] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
    }
    return new YCbCr(image.width(), image.height(), y, image.width(), image.height(), cb, cr);
  }

  private static byte clamp(double v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }
}
