package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpDecoder;
import org.imgedge.imaging.codec.WebpEncoder;
import org.imgedge.testing.GeneratedImages;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Display P3 variant's WebP carries the profile, as its JPEG does, in the extended format libwebp reads. */
class WebpIccTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the WebP tagged with a profile decodes to the same pixels and gives the profile back")
  void tagsWithProfile() throws Exception {
    RgbImage img = GeneratedImages.ramp(33, 17, 5);
    byte[] plain = WebpEncoder.encode(img, 83);
    byte[] icc = IccProfile.displayP3();
    byte[] tagged = WebpEncoder.withIcc(plain, 33, 17, icc);
    Path file = Files.write(dir.resolve("p3.webp"), tagged);
    assertThat(EmbeddedIcc.read(file, ImageFormat.WEBP)).hasValue(icc);
    try (WebpDecoder a = WebpDecoder.open(plain); WebpDecoder b = WebpDecoder.open(tagged)) {
      assertThat(b.width()).isEqualTo(33);
      assertThat(b.height()).isEqualTo(17);
      assertThat(b.decode(33, 17, () -> false).rgb()).isEqualTo(a.decode(33, 17, () -> false).rgb());
    }
  }
}
