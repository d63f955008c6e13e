package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Lanczos3ResamplerTest {

  @Test
  @DisplayName("a flat colour stays exactly flat at any scale")
  void flatStaysFlat() {
    RgbImage src = RgbImage.allocate(301, 97);
    for (int i = 0; i < src.rgb().length; i += 3) {
      src.rgb()[i] = (byte) 200;
      src.rgb()[i + 1] = (byte) 17;
      src.rgb()[i + 2] = (byte) 255;
    }
    for (int[] size : new int[][] {{100, 32}, {7, 3}, {1, 1}, {301, 40}, {150, 97}}) {
      RgbImage out = Lanczos3Resampler.resize(src, size[0], size[1]);
      assertThat(out.width()).isEqualTo(size[0]);
      assertThat(out.height()).isEqualTo(size[1]);
      for (int i = 0; i < out.rgb().length; i += 3) {
        assertThat(out.rgb()[i] & 0xff).isEqualTo(200);
        assertThat(out.rgb()[i + 1] & 0xff).isEqualTo(17);
        assertThat(out.rgb()[i + 2] & 0xff).isEqualTo(255);
      }
    }
  }

  @Test
  @DisplayName("a smooth horizontal gradient stays monotonic and keeps its range when shrunk")
  void gradientStaysMonotonic() {
    int w = 1000, h = 20;
    RgbImage src = RgbImage.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = x * 255 / (w - 1);
        int i = (y * w + x) * 3;
        src.rgb()[i] = (byte) v;
        src.rgb()[i + 1] = (byte) (255 - v);
        src.rgb()[i + 2] = (byte) v;
      }
    }
    RgbImage out = Lanczos3Resampler.resize(src, 123, 7);
    for (int y = 0; y < out.height(); y++) {
      int previous = -1;
      for (int x = 0; x < out.width(); x++) {
        int red = out.rgb()[(y * out.width() + x) * 3] & 0xff;
        assertThat(red).isGreaterThanOrEqualTo(previous);
        previous = red;
      }
    }
    assertThat(out.rgb()[0] & 0xff).isLessThan(5);
    assertThat(out.rgb()[(out.width() - 1) * 3] & 0xff).isGreaterThan(250);
  }

  @Test
  @DisplayName("a one-pixel line averages out instead of being picked or dropped (not nearest neighbour)")
  void filtersRatherThanSamples() {
    RgbImage src = RgbImage.allocate(40, 1);
    src.rgb()[20 * 3] = (byte) 255;
    RgbImage out = Lanczos3Resampler.resize(src, 10, 1);
    int total = 0;
    for (int i = 0; i < out.rgb().length; i += 3) {
      total += out.rgb()[i] & 0xff;
    }
    assertThat(total).isBetween(50, 80); // 255 / 4, spread over neighbours
  }

  @Test
  @DisplayName("a single plane resizes exactly like one channel of a grey RGB image")
  void planeMatchesPackedGrey() {
    int w = 97, h = 61;
    byte[] plane = new byte[w * h];
    RgbImage grey = RgbImage.allocate(w, h);
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (byte) ((i * 37) ^ (i / w * 11));
      grey.rgb()[3 * i] = grey.rgb()[3 * i + 1] = grey.rgb()[3 * i + 2] = plane[i];
    }
    byte[] small = Lanczos3Resampler.resize(plane, w, h, 1, 30, 17);
    RgbImage packed = Lanczos3Resampler.resize(grey, 30, 17);
    for (int i = 0; i < small.length; i++) {
      assertThat(packed.rgb()[3 * i + 1]).isEqualTo(small[i]);
    }
  }

  @Test
  void weightsAreNormalised() {
    var ws = Lanczos3Resampler.Weights.of(4000, 333);
    for (int i = 0; i < 333; i++) {
      int sum = 0;
      for (int k = 0; k < ws.count[i]; k++) {
        sum += ws.weights[i * ws.taps + k];
      }
      assertThat(sum).isEqualTo(1 << 14);
    }
  }

  @Test
  @DisplayName("the test's transpose moves whole pixels: (x, y) lands on (y, x), and twice gives the original back")
  void transposeKeepsPixels() {
    RgbImage src = RgbImage.allocate(37, 70); // not a multiple of the tile size either way
    for (int i = 0; i < src.rgb().length; i++) {
      src.rgb()[i] = (byte) (i * 31 + i / 3);
    }
    RgbImage t = transpose(src);
    assertThat(t.width()).isEqualTo(70);
    assertThat(t.height()).isEqualTo(37);
    for (int y = 0; y < 70; y++) {
      for (int x = 0; x < 37; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(t.rgb()[(x * 70 + y) * 3 + c]).isEqualTo(src.rgb()[(y * 37 + x) * 3 + c]);
        }
      }
    }
    assertThat(transpose(t).rgb()).isEqualTo(src.rgb());
  }

  @Test
  @DisplayName("shrinking only across (column by column) or only down (row by row) gives the same pixels")
  void oneAxisShrinksAgree() {
    RgbImage src = RgbImage.allocate(90, 60);
    for (int y = 0, i = 0; y < 60; y++) {
      for (int x = 0; x < 90; x++, i += 3) {
        src.rgb()[i] = (byte) (x * 2);
        src.rgb()[i + 1] = (byte) (y * 3);
        src.rgb()[i + 2] = (byte) ((x ^ y) * 5);
      }
    }
    RgbImage across = Lanczos3Resampler.resize(src, 31, 60);
    RgbImage down = Lanczos3Resampler.resize(transpose(src), 60, 31);
    assertThat(transpose(down).rgb()).isEqualTo(across.rgb());
  }

  /** Rows become columns; pixels (3 bytes) stay whole. */
  private static RgbImage transpose(RgbImage src) {
    int w = src.width(), h = src.height();
    RgbImage out = RgbImage.allocate(h, w);
    byte[] in = src.rgb();
    byte[] dst = out.rgb();
    for (int x = 0; x < w; x++) {
      for (int y = 0, o = x * h * 3, p = x * 3; y < h; y++, p += w * 3, o += 3) {
        dst[o] = in[p];
        dst[o + 1] = in[p + 1];
        dst[o + 2] = in[p + 2];
      }
    }
    return out;
  }

}
