package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A WebP or AVIF encode that fails leaves that format out of the variant, and fails nothing else; one encoded
 * beside the worker is the file an inline encode makes.
 */
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

  @Test
  @DisplayName("WebPs started beside their workers, more at once than the pool has threads, are the files inline encodes make")
  void encodesBesideTheWorkerMatchInlineOnes() throws Exception {
    Preset preset = new Preset("medium", 1000, 85, false, Set.of(VariantFormat.JPEG, VariantFormat.WEBP), 83, 0);
    Random random = new Random(7);
    try (ColorPlan color = ColorPlan.of(Optional.empty(), WideGamut.KEEP_P3, () -> {})) {
      List<Raster> rasters = new ArrayList<>();
      List<OtherFormats.Pending> pending = new ArrayList<>();
      for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
        RgbImage image = RgbImage.allocate(300 + i, 200);
        random.nextBytes(image.rgb());
        rasters.add(new Raster.Rgb(image));
        pending.add(OtherFormats.start(preset, rasters.get(i), color, null));
      }
      for (int i = 0; i < rasters.size(); i++) {
        assertThat(pending.get(i).join().get(VariantFormat.WEBP))
            .isEqualTo(OtherFormats.encode(preset, rasters.get(i), color, null).get(VariantFormat.WEBP));
      }
    }
  }
}
