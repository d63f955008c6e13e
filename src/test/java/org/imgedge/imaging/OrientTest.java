package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrientTest {

  /** A 3x2 raster whose red channel numbers the pixels 1..6 in reading order. */
  private static RgbImage numbered() {
    RgbImage img = RgbImage.allocate(3, 2);
    for (int i = 0; i < 6; i++) {
      img.rgb()[i * 3] = (byte) (i + 1);
    }
    return img;
  }

  private static String red(RgbImage img) {
    StringBuilder s = new StringBuilder();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        s.append(img.rgb()[(y * img.width() + x) * 3]);
      }
      s.append('/');
    }
    return s.toString();
  }

  @Test
  @DisplayName("each EXIF orientation maps stored pixels to the upright picture")
  void allEight() {
    // stored:  1 2 3 / 4 5 6
    assertThat(red(Orient.apply(numbered(), 1))).isEqualTo("123/456/");
    assertThat(red(Orient.apply(numbered(), 2))).isEqualTo("321/654/");
    assertThat(red(Orient.apply(numbered(), 3))).isEqualTo("654/321/");
    assertThat(red(Orient.apply(numbered(), 4))).isEqualTo("456/123/");
    assertThat(red(Orient.apply(numbered(), 5))).isEqualTo("14/25/36/");
    assertThat(red(Orient.apply(numbered(), 6))).isEqualTo("41/52/63/");
    assertThat(red(Orient.apply(numbered(), 7))).isEqualTo("63/52/41/");
    assertThat(red(Orient.apply(numbered(), 8))).isEqualTo("36/25/14/");
    assertThat(red(Orient.apply(numbered(), 0))).isEqualTo("123/456/");
  }
}
