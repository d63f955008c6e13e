package org.imgedge.imaging.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ManyScansJpeg;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JpegScansTest {

  private static ByteBuffer corpus(String path) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(Corpus.root().resolve(path)));
  }

  @Test
  @DisplayName("the generated many-scans JPEG is one a decoder accepts: a grey picture of the declared size")
  void generatedFileIsValid() throws IOException {
    byte[] jpeg = ManyScansJpeg.create(40, 24);
    var image = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertThat(image.getWidth()).isEqualTo(40);
    assertThat(image.getHeight()).isEqualTo(24);
    assertThat(image.getRGB(20, 12) & 0xFFFFFF).isEqualTo(0x808080);
    assertThat(JpegScans.count(ByteBuffer.wrap(jpeg), Integer.MAX_VALUE)).isEqualTo(ManyScansJpeg.SCANS);
  }

  @Test
  @DisplayName("real files: a baseline photo has 1 scan, libjpeg's progressive script 10")
  void countsCorpusScans() throws IOException {
    assertThat(JpegScans.count(corpus("photos/sony-d5403-xperia-z2.jpg"), JpegScans.MAX_SCANS)).isEqualTo(1);
    assertThat(JpegScans.count(corpus("formats/progressive.jpg"), JpegScans.MAX_SCANS)).isEqualTo(10);
  }

  @Test
  @DisplayName("counting stops just past the limit, whatever the file holds")
  void stopsPastTheLimit() {
    ByteBuffer jpeg = ByteBuffer.wrap(ManyScansJpeg.create(512, 512));
    assertThat(JpegScans.count(jpeg, JpegScans.MAX_SCANS)).isEqualTo(JpegScans.MAX_SCANS + 1);
    assertThat(jpeg.position()).as("position untouched").isZero();
  }

  @Test
  @DisplayName("a junk byte after a segment between scans, which decoders skip, does not hide the scans behind it")
  void countsPastJunk() {
    byte[] jpeg = ManyScansJpeg.create(512, 512);
    // a copy of the file's first DHT, and one junk byte, put between the first and second scans
    int dht = indexOf(jpeg, 0xC4, 2) - 1;
    int dhtLength = 2 + (((jpeg[dht + 2] & 0xFF) << 8) | (jpeg[dht + 3] & 0xFF));
    int secondScan = indexOf(jpeg, 0xDA, indexOf(jpeg, 0xDA, 2) + 1) - 1;
    byte[] junk = new byte[jpeg.length + dhtLength + 1];
    System.arraycopy(jpeg, 0, junk, 0, secondScan);
    System.arraycopy(jpeg, dht, junk, secondScan, dhtLength);
    junk[secondScan + dhtLength] = 0x2A;
    System.arraycopy(jpeg, secondScan, junk, secondScan + dhtLength + 1, jpeg.length - secondScan);
    assertThat(JpegScans.count(ByteBuffer.wrap(junk), JpegScans.MAX_SCANS)).isEqualTo(JpegScans.MAX_SCANS + 1);
  }

  /** The index of the 0xFF of the first {@code FF marker} pair at or after {@code from}, plus one. */
  private static int indexOf(byte[] jpeg, int marker, int from) {
    for (int i = from; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        return i + 1;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  @Test
  @DisplayName("cut or garbled files are counted as far as they go, never with an exception")
  void toleratesBrokenFiles() throws IOException {
    byte[] progressive = corpus("formats/progressive.jpg").array();
    Random random = new Random(5);
    for (int i = 0; i < 500; i++) {
      byte[] broken = Arrays.copyOf(progressive, random.nextInt(progressive.length));
      for (int flips = random.nextInt(20); flips > 0 && broken.length > 0; flips--) {
        broken[random.nextInt(broken.length)] = (byte) random.nextInt(256);
      }
      assertThat(JpegScans.count(ByteBuffer.wrap(broken), JpegScans.MAX_SCANS)).isBetween(0, JpegScans.MAX_SCANS + 1);
    }
    assertThat(JpegScans.count(ByteBuffer.wrap(new byte[0]), 10)).isZero();
    assertThat(JpegScans.count(ByteBuffer.wrap("not a jpeg".getBytes()), 10)).isZero();
  }
}
