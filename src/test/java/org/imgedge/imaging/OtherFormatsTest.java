package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A WebP or AVIF encode that fails leaves that format out of the variant, and fails nothing else. */
class OtherFormatsTest {

  private static final Preset WITH_WEBP = new Preset("wide", 20000, 85, false, Set.of(VariantFormat.JPEG, VariantFormat.WEBP), 83, 0);

  @Test
  @DisplayName("libwebp refuses a side above 16383: the variant is made without its WebP, while a normal one has it")
  void failedEncodeLeavesTheFormatOut() throws Exception {
    try (ColorPlan color = ColorPlan.of(Optional.empty(), WideGamut.KEEP_P3, () -> {})) {
      Raster tooWide = new Raster.Rgb(RgbImage.allocate(16400, 2));
      assertThat(OtherFormats.encode(WITH_WEBP, tooWide, color, null)).isEmpty();
      Raster normal = new Raster.Rgb(RgbImage.allocate(64, 48));
      assertThat(OtherFormats.encode(WITH_WEBP, normal, color, null)).containsOnlyKeys(VariantFormat.WEBP);
    }
  }
}
