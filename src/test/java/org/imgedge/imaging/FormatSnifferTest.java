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
      Map.of("jpg", ImageFormat.JPEG, "png", ImageFormat.PNG, "webp", ImageFormat.WEBP, "gif", ImageFormat.GIF);

  @Test
  @DisplayName("every corpus photo and format sample is recognised from its bytes; HEIC and AVIF are not ours")
  void sniffsCorpus() throws IOException {
    var files = new java.util.ArrayList<>(Corpus.files("formats"));
    files.addAll(Corpus.files("photos"));
    files.addAll(Corpus.files("orientation"));
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
  void mimeTypes() {
    assertThat(ImageFormat.JPEG.mimeType()).isEqualTo("image/jpeg");
    assertThat(ImageFormat.WEBP.mimeType()).isEqualTo("image/webp");
  }
}
