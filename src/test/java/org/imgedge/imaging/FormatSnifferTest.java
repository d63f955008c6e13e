package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FormatSnifferTest {

  private static final Map<String, ImageFormat> BY_EXTENSION =
      Map.of("jpg", ImageFormat.JPEG, "png", ImageFormat.PNG, "webp", ImageFormat.WEBP, "gif", ImageFormat.GIF,
          "heic", ImageFormat.HEIC, "avif", ImageFormat.AVIF);

  @Test
  @DisplayName("every corpus photo, HEIC and format sample is recognised from its bytes")
  void sniffsCorpus() throws IOException {
    var files = new java.util.ArrayList<>(Corpus.files("formats"));
    files.addAll(Corpus.files("photos"));
    files.addAll(Corpus.files("orientation"));
    files.addAll(Corpus.files("heic"));
    for (Path file : files) {
      String name = file.getFileName().toString();
      String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
      assertThat(FormatSniffer.sniff(file)).as(name).isEqualTo(Optional.ofNullable(BY_EXTENSION.get(ext)));
    }
  }

  @Test
  @DisplayName("text, empty and too-short input is no image")
  void rejectsNonImages() {
    assertThat(FormatSniffer.sniff("hello, this is not an image at all".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(FormatSniffer.sniff(new byte[0])).isEmpty();
    assertThat(FormatSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
    assertThat(FormatSniffer.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    var random = new java.util.Random(7);
    for (int i = 0; i < 1000; i++) {
      byte[] text = new byte[32];
      for (int j = 0; j < text.length; j++) {
        text[j] = (byte) (' ' + random.nextInt(95)); // printable ASCII can never start a binary signature
      }
      assertThat(FormatSniffer.sniff(text)).isEmpty();
    }
  }

  @Test
  @DisplayName("an ISO BMFF file is HEIC or AVIF by its ftyp brands, the major or a compatible one; an MP4 or a QuickTime file is not ours")
  void heifBrands() {
    assertThat(FormatSniffer.sniff(ftyp("heic", "mif1", "heic"))).contains(ImageFormat.HEIC);
    assertThat(FormatSniffer.sniff(ftyp("mif1", "heic"))).contains(ImageFormat.HEIC);
    assertThat(FormatSniffer.sniff(ftyp("msf1", "hevc"))).contains(ImageFormat.HEIC);
    assertThat(FormatSniffer.sniff(ftyp("avif", "mif1", "miaf"))).contains(ImageFormat.AVIF);
    assertThat(FormatSniffer.sniff(ftyp("mif1", "miaf", "avif"))).contains(ImageFormat.AVIF);
    assertThat(FormatSniffer.sniff(ftyp("isom", "iso2", "mp41"))).isEmpty();
    assertThat(FormatSniffer.sniff(ftyp("qt  ", "qt  "))).isEmpty();
    assertThat(FormatSniffer.sniff(ftyp("mif1"))).as("a generic HEIF brand alone says nothing of the codec").isEmpty();
    // a compatible brand past the box's own size belongs to the next box
    byte[] cut = ftyp("mif1", "heic");
    cut[3] = 16;
    assertThat(FormatSniffer.sniff(cut)).isEmpty();
  }

  /** An ftyp box: size, "ftyp", the major brand, minor version 0, then the compatible brands. */
  private static byte[] ftyp(String major, String... compatible) {
    String box = major + "\0\0\0\0" + String.join("", compatible);
    byte[] b = ("\0\0\0\0ftyp" + box).getBytes(StandardCharsets.ISO_8859_1);
    b[3] = (byte) b.length;
    return b;
  }

  @Test
  void mimeTypes() {
    assertThat(ImageFormat.JPEG.mimeType()).isEqualTo("image/jpeg");
    assertThat(ImageFormat.WEBP.mimeType()).isEqualTo("image/webp");
    assertThat(ImageFormat.HEIC.mimeType()).isEqualTo("image/heic");
    assertThat(ImageFormat.AVIF.mimeType()).isEqualTo("image/avif");
  }
}
