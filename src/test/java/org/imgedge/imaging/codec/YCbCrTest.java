package org.imgedge.imaging.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class YCbCrTest {

  @Test
  @DisplayName("planes to RGB: neutral chroma gives grey at the luma, and the JFIF primaries come out as themselves")
  void jfifConversion() {
    // 2x1 pixels, one chroma sample each (4:4:4): white-ish grey, then pure red as JFIF codes it
    YCbCr planes = new YCbCr(2, 1, new byte[] {(byte) 200, 76}, 2, 1, new byte[] {(byte) 128, 85},
        new byte[] {(byte) 128, (byte) 255});
    byte[] rgb = planes.toRgb().rgb();
    assertThat(new int[] {rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF}).containsExactly(200, 200, 200);
    assertThat(new int[] {rgb[3] & 0xFF, rgb[4] & 0xFF, rgb[5] & 0xFF}).containsExactly(254, 0, 0);
  }

  @Test
  @DisplayName("a photo's 4:2:0 planes at full size give the RGB libjpeg-turbo decodes, within 3 per sample on average")
  void matchesTheDecoder() throws Exception {
    byte[] jpeg = Files.readAllBytes(Corpus.file("color", "display-p3.jpg"));
    JpegCodec turbo = JpegCodec.turbo();
    JpegHeader header = JpegHeader.parse(jpeg);
    RgbImage expected = turbo.decode(jpeg, header.width(), header.height());
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(jpeg.length).put(jpeg).flip();
    YCbCr planes = turbo.decodeYCbCr(direct, header.width(), header.height()).orElseThrow();
    RgbImage actual = planes.toRgb();
    assertThat(actual.width()).isEqualTo(expected.width());
    long sum = 0;
    for (int i = 0; i < expected.rgb().length; i++) {
      sum += Math.abs((expected.rgb()[i] & 0xFF) - (actual.rgb()[i] & 0xFF));
    }
    double mean = (double) sum / expected.rgb().length;
    System.out.printf("ycbcr: mean difference from libjpeg-turbo's RGB %.2f%n", mean);
    assertThat(mean).isLessThan(3.0);
  }
}
