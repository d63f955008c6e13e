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

  /**
   * A ThumbHash has no profile and is painted as sRGB: a Display P3 photo's placeholder is made in sRGB either way,
   * and paints the colours of the same picture made in sRGB. The converted variants are resized from a converted
   * bigger one, the kept ones converted after, so the hashes may differ by rounding: one step of a field.
   */
  @Test
  @DisplayName("a Display P3 photo's placeholder, whether its variants keep P3 or are converted, paints the sRGB picture's colours")
  void displayP3PlaceholderIsSrgb() throws Exception {
    Assumptions.assumeTrue(IccProfile.available(), "LittleCMS is installed by .ci/install-deps");
    byte[] reference = VariantPipeline.create(JpegCodec.best())
        .render(Corpus.file("color", "srgb-reference.png"), ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS).thumbHash();
    Path photo = Corpus.file("color", "display-p3.jpg");
    for (WideGamut mode : WideGamut.values()) {
      byte[] hash = VariantPipeline.create(JpegCodec.best(), mode)
          .render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS).thumbHash();
      assertThat(hash).as(mode + ": as long as the reference's").hasSameSizeAs(reference);
      int[] ours = fields(hash), theirs = fields(reference);
      for (int i = 0; i < ours.length; i++) {
        assertThat(Math.abs(ours[i] - theirs[i])).as("%s: field %d of the hash (%s against the reference's %s)", mode, i,
            Base64.getEncoder().encodeToString(hash), Base64.getEncoder().encodeToString(reference)).isLessThanOrEqualTo(1);
      }
    }
  }

  /**
   * The quantized numbers of an opaque picture's ThumbHash: the average colour (L, P, Q), the scales of the three
   * channels' details, then each detail's 4 bits.
   */
  private static int[] fields(byte[] hash) {
    int header24 = (hash[0] & 0xFF) | (hash[1] & 0xFF) << 8 | (hash[2] & 0xFF) << 16;
    int header16 = (hash[3] & 0xFF) | (hash[4] & 0xFF) << 8;
    int[] fields = new int[6 + 2 * (hash.length - 5)];
    fields[0] = header24 & 63;
    fields[1] = header24 >> 6 & 63;
    fields[2] = header24 >> 12 & 63;
    fields[3] = header24 >> 18 & 31;
    fields[4] = header16 >> 3 & 63;
    fields[5] = header16 >> 9 & 63;
    for (int i = 5; i < hash.length; i++) {
      fields[6 + 2 * (i - 5)] = hash[i] & 15;
      fields[7 + 2 * (i - 5)] = hash[i] >> 4 & 15;
    }
    return fields;
  }
}
