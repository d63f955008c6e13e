package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PhotosTest {

  @Test
  @DisplayName("every photo renders with both codecs: fitted, aspect kept, upright, metadata-free, and alike")
  void photosRender() throws Exception {
    VariantPipeline turbo = ImagingFixtures.pipeline(JpegCodec.turbo());
    VariantPipeline imageIo = ImagingFixtures.pipeline(JpegCodec.imageIo());
    for (Path photo : Corpus.files("photos")) {
      String name = photo.getFileName().toString();
      long t0 = System.nanoTime();
      Rendered a = turbo.render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
      long t1 = System.nanoTime();
      Rendered b = imageIo.render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
      long t2 = System.nanoTime();
      // Informational only; no timing assertions.
      System.out.printf("render %-40s %5dx%-5d turbo %4d ms, imageio %4d ms%n",
          name, a.width(), a.height(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);

      for (Rendered r : List.of(a, b)) {
        assertThat(r.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(r.variants()).extracting(EncodedVariant::preset).containsExactlyElementsOf(ImagingFixtures.PRESETS);
        for (EncodedVariant v : r.variants()) {
          int box = v.preset().box();
          assertThat(Math.max(v.width(), v.height())).as(name).isEqualTo(Math.min(box, Math.max(r.width(), r.height())));
          double expectedShort = (double) Math.min(r.width(), r.height()) * Math.max(v.width(), v.height())
              / Math.max(r.width(), r.height());
          assertThat((double) Math.min(v.width(), v.height())).as(name + " aspect").isCloseTo(expectedShort,
              org.assertj.core.data.Offset.offset(1.0));
          assertThat(v.width() >= v.height()).isEqualTo(r.width() >= r.height());
          assertThat(ImagingFixtures.hasApp1(v.jpeg())).as(name + " APP1").isFalse();
          String text = new String(v.jpeg(), StandardCharsets.ISO_8859_1);
          assertThat(text).doesNotContain("GPS").doesNotContain("Exif");
        }
      }
      for (int i = 0; i < ImagingFixtures.PRESETS.size(); i++) {
        double diff = ImagingFixtures.meanAbsDiff(ImagingFixtures.pixels(a.variants().get(i).jpeg()), ImagingFixtures.pixels(b.variants().get(i).jpeg()));
        assertThat(diff).as(name + " turbo vs imageio " + ImagingFixtures.PRESETS.get(i).name()).isLessThan(4.0);
      }
      if (name.equals("apple-iphone-4s.jpg")) {
        assertThat(a.height()).as("orientation 6 photo is portrait").isGreaterThan(a.width());
        assertThat(a.variants().get(0).height()).isEqualTo(400);
      }
    }
  }
}
