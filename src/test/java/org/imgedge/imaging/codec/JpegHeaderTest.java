package org.imgedge.imaging.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JpegHeaderTest {

  private static Path corpus(String path) {
    return Corpus.root().resolve(path);
  }

  @Test
  @DisplayName("the frame header is found past large EXIF segments; Adobe CMYK is recognised")
  void readsCorpusHeaders() throws IOException {
    JpegHeader sony = JpegHeader.parse(Files.readAllBytes(corpus("photos/sony-d5403-xperia-z2.jpg")));
    assertThat(sony.width()).isEqualTo(3264);
    assertThat(sony.height()).isEqualTo(2448);
    assertThat(sony.components()).isEqualTo(3);

    JpegHeader cmyk = JpegHeader.parse(Files.readAllBytes(corpus("formats/cmyk-multiple-icc.jpg")));
    assertThat(cmyk.components()).isEqualTo(4);
    assertThat(cmyk.adobe()).isTrue();

    JpegHeader progressive = JpegHeader.parse(Files.readAllBytes(corpus("formats/progressive.jpg")));
    assertThat(progressive.width()).isPositive();
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> JpegHeader.parse(new byte[] {1, 2, 3, 4})).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> JpegHeader.parse(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x7F, 0}))
        .isInstanceOf(IOException.class);
    // SOF with height 0 (DNL), which we refuse
    byte[] dnl = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 0, 0, 10, 1, 1, 0x11, 0};
    assertThatThrownBy(() -> JpegHeader.parse(dnl)).isInstanceOf(IOException.class);
  }
}
