package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ManyScansJpeg;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BadInputTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("fuzzed files end in an ImagingException or a render, never in any other Throwable")
  void fuzzedFilesFailCleanly(JpegCodec codec) throws IOException {
    VariantPipeline pipeline = ImagingFixtures.pipeline(codec);
    int refused = 0;
    for (Path file : Corpus.files("bad")) {
      try {
        pipeline.render(file, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
      } catch (ImagingException e) {
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.getStackTrace()).isEmpty();
        refused++;
      } catch (Throwable t) {
        fail(file.getFileName() + " escaped with " + t, t);
      }
    }
    assertThat(refused).isPositive();
  }

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("a JPEG cut in half is UNDECODABLE, not a half-grey picture")
  void truncatedJpegIsUndecodable(JpegCodec codec) throws IOException {
    byte[] photo = Files.readAllBytes(Corpus.dir("photos").resolve("sony-d5403-xperia-z2.jpg"));
    Path half = Files.write(tmp.resolve("half.jpg"), java.util.Arrays.copyOf(photo, photo.length / 2));
    assertKind(codec, half, 200_000_000L, ImagingException.Kind.UNDECODABLE);
  }

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("a tiny JPEG claiming 60000x60000 is refused from its header alone")
  void hugeJpegHeaderIsRefused(JpegCodec codec) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeShort(0xFFD8);
    out.writeShort(0xFFE0); // JFIF APP0
    out.writeShort(16);
    out.write(new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
    out.writeShort(0xFFC0); // SOF0, 8-bit, 60000x60000, 3 components
    out.writeShort(17);
    out.writeByte(8);
    out.writeShort(60000);
    out.writeShort(60000);
    out.writeByte(3);
    for (int c = 1; c <= 3; c++) {
      out.write(new byte[] {(byte) c, c == 1 ? (byte) 0x22 : 0x11, 0});
    }
    out.writeShort(0xFFD9);
    Path file = Files.write(tmp.resolve("huge.jpg"), b.toByteArray());
    assertKind(codec, file, 200_000_000L, ImagingException.Kind.TOO_MANY_PIXELS);
  }

  @Test
  @DisplayName("a tiny PNG claiming 60000x60000 is refused from its header alone")
  void hugePngHeaderIsRefused() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.write(new byte[] {'I', 'H', 'D', 'R'});
    h.writeInt(60000);
    h.writeInt(60000);
    h.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB
    out.writeInt(13);
    out.write(ihdr.toByteArray());
    CRC32 crc = new CRC32();
    crc.update(ihdr.toByteArray());
    out.writeInt((int) crc.getValue());
    Path file = Files.write(tmp.resolve("huge.png"), b.toByteArray());
    assertKind(JpegCodec.best(), file, 200_000_000L, ImagingException.Kind.TOO_MANY_PIXELS);
  }

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("a progressive JPEG with 2,647 scans is TOO_MANY_SCANS before decoding, in well under 2 s")
  void manyScansAreRefused(JpegCodec codec) throws IOException {
    Path file = Files.write(tmp.resolve("scans.jpg"), ManyScansJpeg.create(2048, 2048));
    long start = System.nanoTime();
    assertKind(codec, file, 200_000_000L, ImagingException.Kind.TOO_MANY_SCANS);
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2000);
  }

  @Test
  @DisplayName("text is UNSUPPORTED_FORMAT whatever its name says")
  void textIsUnsupported() throws IOException {
    Path file = Files.writeString(tmp.resolve("photo.jpg"), "not a picture");
    assertKind(JpegCodec.best(), file, 200_000_000L, ImagingException.Kind.UNSUPPORTED_FORMAT);
  }

  @Test
  @DisplayName("a photo over the pixel limit is TOO_MANY_PIXELS")
  void pixelLimitApplies() {
    Path photo = Corpus.dir("photos").resolve("sony-d5403-xperia-z2.jpg");
    assertKind(JpegCodec.best(), photo, 1_000_000L, ImagingException.Kind.TOO_MANY_PIXELS);
  }

  private static void assertKind(JpegCodec codec, Path file, long maxPixels, ImagingException.Kind kind) {
    assertThatThrownBy(() -> ImagingFixtures.pipeline(codec).render(file, ImagingFixtures.PRESETS, maxPixels))
        .isInstanceOfSatisfying(ImagingException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
