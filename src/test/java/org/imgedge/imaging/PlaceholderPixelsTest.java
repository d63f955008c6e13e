package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which pixels the placeholder is made from: the {@code small} variant's (else the smallest's), in sRGB. */
class PlaceholderPixelsTest {

  @Test
  @DisplayName("the placeholder comes from small when there is one, whatever its box, else from the smallest preset")
  void sourcePreset() {
    Preset small = new Preset("small", 600, 80);
    Preset thumb = new Preset("thumb", 150, 80);
    Preset large = new Preset("large", 1600, 85);
    assertThat(Placeholder.source(java.util.List.of(large, thumb, small))).isSameAs(small);
    assertThat(Placeholder.source(java.util.List.of(large, thumb))).isSameAs(thumb);
    assertThat(new PresetSet(java.util.List.of(large, thumb)).placeholderSource()).isSameAs(thumb);
  }

  /** A ThumbHash has no profile and is painted as sRGB: a Display P3 photo's placeholder is made in sRGB either way. */
  @Test
  @DisplayName("a Display P3 photo has the same placeholder whether its variants keep P3 or are converted to sRGB")
  void displayP3PlaceholderIsSrgb() throws Exception {
    Assumptions.assumeTrue(IccProfile.available(), "LittleCMS is installed by .ci/install-deps");
    Path photo = Corpus.file("color", "display-p3.jpg");
    Rendered kept = VariantPipeline.create(JpegCodec.best(), WideGamut.KEEP_P3)
        .render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
    Rendered converted = VariantPipeline.create(JpegCodec.best(), WideGamut.SRGB)
        .render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
    assertThat(Base64.getEncoder().encodeToString(kept.thumbHash()))
        .isEqualTo(Base64.getEncoder().encodeToString(converted.thumbHash()));
  }
}
