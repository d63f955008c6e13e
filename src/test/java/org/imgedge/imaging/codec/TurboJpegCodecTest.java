package org.imgedge.imaging.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.imgedge.testing.GeneratedImages;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TurboJpegCodecTest {

  /** libjpeg-turbo 2.x offers n/8 for n = 1..16; we only ever use those up to 1. */
  private static final int[][] EIGHTHS = {{2, 1}, {1, 1}, {7, 8}, {3, 4}, {5, 8}, {1, 2}, {3, 8}, {1, 4}, {1, 8}};

  @Test
  @DisplayName("the smallest DCT scale is chosen that still covers the requested minimum on both sides")
  void choosesSmallestCoveringScale() {
    // 4000x3000 with a 1000 px medium: need 2000x1500, exactly 1/2
    assertThat(TurboJpegCodec.chooseScale(EIGHTHS, 4000, 3000, 2000, 1500)).containsExactly(1, 2);
    // one pixel more forces the next larger factor
    assertThat(TurboJpegCodec.chooseScale(EIGHTHS, 4000, 3000, 2001, 1500)).containsExactly(5, 8);
    // small images are never scaled, and never up
    assertThat(TurboJpegCodec.chooseScale(EIGHTHS, 800, 600, 800, 600)).containsExactly(1, 1);
    assertThat(TurboJpegCodec.chooseScale(EIGHTHS, 800, 600, 5000, 5000)).containsExactly(1, 1);
    // a tiny thumbnail target from a huge photo bottoms out at 1/8; ceil() keeps odd sizes covered
    assertThat(TurboJpegCodec.chooseScale(EIGHTHS, 8001, 6001, 100, 75)).containsExactly(1, 8);
    assertThat(TurboJpegCodec.scaled(8001, new int[] {1, 8})).isEqualTo(1001);
  }

  @Test
  @DisplayName("the installed library reports the factors we rely on")
  void libraryOffersEighths() {
    JpegCodec turbo = JpegCodec.turbo();
    assertThat(turbo.name()).isEqualTo("libjpeg-turbo");
    assertThat(JpegCodec.best().name()).isEqualTo("libjpeg-turbo");
  }

  @Test
  @DisplayName("encoded variants are plain JFIF that both codecs read back at the same size and colour")
  void encodesPlainJfif() throws IOException {
    RgbImage img = RgbImage.allocate(64, 48);
    for (int i = 0; i < img.rgb().length; i += 3) {
      img.rgb()[i] = (byte) 30;
      img.rgb()[i + 1] = (byte) 160;
      img.rgb()[i + 2] = (byte) 220;
    }
    for (JpegCodec codec : new JpegCodec[] {JpegCodec.turbo(), JpegCodec.imageIo()}) {
      byte[] jpeg = codec.encode(img, 90);
      assertThat(jpeg[2] & 0xff).isEqualTo(0xFF);
      assertThat(jpeg[3] & 0xff).as("APP0 first").isEqualTo(0xE0);
      assertThat(new String(jpeg, 6, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("JFIF");
      JpegHeader header = JpegHeader.parse(jpeg);
      assertThat(header.width()).isEqualTo(64);
      assertThat(header.height()).isEqualTo(48);
      assertThat(header.components()).isEqualTo(3);
      for (JpegCodec reader : new JpegCodec[] {JpegCodec.turbo(), JpegCodec.imageIo()}) {
        RgbImage back = reader.decode(jpeg, 64, 48);
        assertThat(back.width()).isEqualTo(64);
        assertThat(back.rgb()[100 * 3 + 1] & 0xff).isBetween(155, 165);
      }
    }
  }

  @Test
  @DisplayName("progressive is a SOF2 JPEG of the same pixels as baseline; ImageIO, which cannot, makes baseline")
  void encodesProgressive() throws IOException {
    RgbImage img = GeneratedImages.ramp(64, 48, 13);
    byte[] baseline = JpegCodec.turbo().encode(img, 85, false);
    byte[] progressive = JpegCodec.turbo().encode(img, 85, true);
    assertThat(hasMarker(baseline, 0xC0)).isTrue();
    assertThat(hasMarker(progressive, 0xC2)).as("SOF2").isTrue();
    assertThat(hasMarker(progressive, 0xC0)).isFalse();
    assertThat(JpegCodec.turbo().decode(progressive, 64, 48).rgb()).isEqualTo(JpegCodec.turbo().decode(baseline, 64, 48).rgb());
    assertThat(hasMarker(JpegCodec.imageIo().encode(img, 85, true), 0xC0)).isTrue();
  }

  @Test
  @DisplayName("4:4:4 keeps colour detail one pixel wide that 4:2:0 smears: from RGB with both codecs, and from planes")
  void fullChromaKeepsColourDetail() throws IOException {
    // columns alternately red and blue at the same brightness: only the colour changes from pixel to pixel
    RgbImage stripes = RgbImage.allocate(32, 16);
    for (int i = 0, x = 0; i < stripes.rgb().length; i += 3, x = (x + 1) % 32) {
      stripes.rgb()[i] = (byte) (x % 2 == 0 ? 200 : 0);
      stripes.rgb()[i + 2] = (byte) (x % 2 == 0 ? 0 : 200);
    }
    JpegCodec turbo = JpegCodec.turbo();
    for (JpegCodec codec : new JpegCodec[] {turbo, JpegCodec.imageIo()}) {
      byte[] full = codec.encode(stripes, 95, false, Chroma.FULL);
      byte[] subsampled = codec.encode(stripes, 95, false, Chroma.SUBSAMPLED);
      assertThat(lumaSampling(full)).as(codec.name() + " 4:4:4").isEqualTo(0x11);
      assertThat(lumaSampling(subsampled)).as(codec.name() + " 4:2:0").isEqualTo(0x22);
      assertThat(redOfFirstTwoColumns(turbo.decode(full, 32, 16))).as(codec.name() + " 4:4:4").satisfies(red -> {
        assertThat(red[0]).isGreaterThan(170);
        assertThat(red[1]).isLessThan(30);
      });
      assertThat(redOfFirstTwoColumns(turbo.decode(subsampled, 32, 16))).as(codec.name() + " 4:2:0: both purple")
          .satisfies(red -> assertThat(Math.abs(red[0] - red[1])).isLessThan(60));
    }
    YCbCr planes = turbo.decodeYCbCr(java.nio.ByteBuffer.wrap(turbo.encode(stripes, 95, false, Chroma.FULL)), 32, 16)
        .orElseThrow();
    assertThat(planes.chroma()).contains(Chroma.FULL);
    byte[] fromPlanes = turbo.encode(planes, 95);
    assertThat(lumaSampling(fromPlanes)).isEqualTo(0x11);
    assertThat(redOfFirstTwoColumns(turbo.decode(fromPlanes, 32, 16))[0]).isGreaterThan(170);
  }

  private static int[] redOfFirstTwoColumns(RgbImage image) {
    int row = image.height() / 2 * image.width() * 3;
    return new int[] {image.rgb()[row] & 0xff, image.rgb()[row + 3] & 0xff};
  }

  /** The first component's sampling factors in the frame header (SOF0 or SOF2): 0x22 for 4:2:0, 0x11 for 4:4:4. */
  private static int lumaSampling(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && ((jpeg[i + 1] & 0xff) == 0xC0 || (jpeg[i + 1] & 0xff) == 0xC2)) {
        return jpeg[i + 11] & 0xff; // marker 2, length 2, precision 1, height 2, width 2, count 1, component id 1
      }
    }
    throw new AssertionError("no frame header");
  }

  private static boolean hasMarker(byte[] jpeg, int marker) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
        return true;
      }
    }
    return false;
  }

  @Test
  @DisplayName("a direct (mapped-file) buffer and a heap buffer decode to the same pixels as the byte array")
  void decodesBuffers() throws IOException {
    RgbImage img = GeneratedImages.ramp(40, 30, 7);
    byte[] jpeg = JpegCodec.turbo().encode(img, 90);
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(jpeg.length).put(jpeg);
    direct.position(3); // the position is ignored: the data runs from index 0 to the limit
    for (JpegCodec codec : new JpegCodec[] {JpegCodec.turbo(), JpegCodec.imageIo()}) {
      byte[] expected = codec.decode(jpeg, 40, 30).rgb();
      assertThat(codec.decode(direct, 40, 30).rgb()).isEqualTo(expected);
      assertThat(codec.decode(java.nio.ByteBuffer.wrap(jpeg), 40, 30).rgb()).isEqualTo(expected);
    }
    assertThat(JpegHeader.parse(direct).width()).isEqualTo(40);
  }

  @Test
  @DisplayName("4:2:0 JPEGs of odd size come back as planes and re-encode from them to the same picture")
  void planesRoundTrip() throws IOException {
    RgbImage img = RgbImage.allocate(41, 31);
    for (int y = 0, i = 0; y < 31; y++) {
      for (int x = 0; x < 41; x++, i += 3) {
        img.rgb()[i] = (byte) (x * 6);
        img.rgb()[i + 1] = (byte) (y * 8);
        img.rgb()[i + 2] = (byte) 90;
      }
    }
    JpegCodec turbo = JpegCodec.turbo();
    byte[] jpeg = turbo.encode(img, 95); // our RGB encoder writes 4:2:0
    YCbCr planes = turbo.decodeYCbCr(java.nio.ByteBuffer.wrap(jpeg), 41, 31).orElseThrow();
    assertThat(planes.width()).isEqualTo(41);
    assertThat(planes.height()).isEqualTo(31);
    assertThat(planes.cb()).hasSize(21 * 16);
    RgbImage viaPlanes = turbo.decode(turbo.encode(planes, 95), 41, 31);
    RgbImage direct = turbo.decode(jpeg, 41, 31);
    long diff = 0;
    for (int i = 0; i < direct.rgb().length; i++) {
      diff += Math.abs((direct.rgb()[i] & 0xff) - (viaPlanes.rgb()[i] & 0xff));
    }
    assertThat((double) diff / direct.rgb().length).isLessThan(2.0);
    assertThat(JpegCodec.imageIo().decodeYCbCr(java.nio.ByteBuffer.wrap(jpeg), 41, 31)).isEmpty();
  }

  @Test
  @DisplayName("Adobe CMYK is stored inverted: 255 means no ink")
  void cmykConversion() {
    byte[] rgb = new byte[3];
    CmykToRgb.convert(new byte[] {(byte) 255, 0, (byte) 255, (byte) 255}, rgb, true); // no cyan, full magenta
    assertThat(new int[] {rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff}).containsExactly(255, 0, 255);
    CmykToRgb.convert(new byte[] {0, (byte) 255, 0, 0}, rgb, false); // the same colour, not inverted
    assertThat(new int[] {rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff}).containsExactly(255, 0, 255);
  }
}
