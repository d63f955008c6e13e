package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SsimTest {

  /** Smooth shapes plus fine texture, so that blur and noise both have something to damage. */
  private static RgbImage texture(int w, int h) {
    RgbImage img = RgbImage.allocate(w, h);
    Random random = new Random(7);
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i += 3) {
        int v = (int) (128 + 60 * Math.sin(x / 3.0) * Math.cos(y / 5.0)) + random.nextInt(9) - 4;
        byte b = (byte) Math.max(0, Math.min(255, v));
        img.rgb()[i] = b;
        img.rgb()[i + 1] = b;
        img.rgb()[i + 2] = b;
      }
    }
    return img;
  }

  private static RgbImage boxBlur(RgbImage src) {
    int w = src.width(), h = src.height();
    RgbImage out = RgbImage.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int sum = 0, n = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int xx = x + dx, yy = y + dy;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                sum += src.rgb()[(yy * w + xx) * 3 + c] & 0xff;
                n++;
              }
            }
          }
          out.rgb()[(y * w + x) * 3 + c] = (byte) (sum / n);
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("an image compared with itself scores exactly 1")
  void identity() {
    RgbImage img = texture(64, 48);
    assertThat(Ssim.of(img, img)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  @DisplayName("a blurred copy scores below 1, a twice-blurred copy lower still, and the measure is symmetric")
  void blurLowersScore() {
    RgbImage img = texture(64, 48);
    RgbImage once = boxBlur(img);
    RgbImage twice = boxBlur(once);
    double s1 = Ssim.of(img, once);
    double s2 = Ssim.of(img, twice);
    assertThat(s1).isLessThan(0.99).isGreaterThan(0.5);
    assertThat(s2).isLessThan(s1);
    assertThat(Ssim.of(once, img)).isCloseTo(s1, within(1e-12));
  }

  @Test
  @DisplayName("a uniform brightness shift costs little: SSIM is about structure more than level")
  void brightnessShiftIsMild() {
    RgbImage img = texture(64, 48);
    RgbImage brighter = RgbImage.allocate(64, 48);
    for (int i = 0; i < img.rgb().length; i++) {
      brighter.rgb()[i] = (byte) Math.min(255, (img.rgb()[i] & 0xff) + 5);
    }
    assertThat(Ssim.of(img, brighter)).isGreaterThan(Ssim.of(img, boxBlur(img))).isLessThan(1.0);
  }

  @Test
  @DisplayName("the floating-point reference and the production resampler agree closely on a shrink")
  void referenceAgreesWithProduction() {
    RgbImage img = texture(400, 300);
    RgbImage ours = Lanczos3Resampler.resize(img, 130, 97);
    Ssim.Luma reference = ReferenceResampler.resize(Ssim.Luma.of(img), 130, 97);
    assertThat(Ssim.of(Ssim.Luma.of(ours), reference)).isGreaterThan(0.995);
    Ssim.Luma flat = new Ssim.Luma(50, 40, new double[2000]);
    java.util.Arrays.fill(flat.y(), 77.0);
    for (double v : ReferenceResampler.resize(flat, 13, 11).y()) {
      assertThat(v).isCloseTo(77.0, within(1e-9));
    }
  }
}
