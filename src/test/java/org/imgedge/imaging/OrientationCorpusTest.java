package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OrientationCorpusTest {

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("all 18 orientation samples come out upright and look like the orientation-1 file")
  void everyOrientationComesOutUpright(JpegCodec codec) throws Exception {
    VariantPipeline pipeline = ImagingFixtures.pipeline(codec);
    for (String shape : new String[] {"landscape", "portrait"}) {
      Rendered reference = pipeline.render(file(shape, 1), ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
      assertThat(reference.width() > reference.height()).isEqualTo(shape.equals("landscape"));
      for (int orientation = 0; orientation <= 8; orientation++) {
        Rendered r = pipeline.render(file(shape, orientation), ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
        assertThat(r.width()).as("%s_%d width", shape, orientation).isEqualTo(reference.width());
        assertThat(r.height()).as("%s_%d height", shape, orientation).isEqualTo(reference.height());
        for (int v = 0; v < r.variants().size(); v++) {
          EncodedVariant expected = reference.variants().get(v);
          EncodedVariant actual = r.variants().get(v);
          RgbImage a = ImagingFixtures.pixels(actual.jpeg());
          assertThat(actual.width()).isEqualTo(a.width()).isEqualTo(expected.width());
          assertThat(actual.height()).isEqualTo(a.height()).isEqualTo(expected.height());
          double diff = ImagingFixtures.meanAbsDiff(ImagingFixtures.pixels(expected.jpeg()), a);
          assertThat(diff).as("%s_%d %s with %s", shape, orientation, actual.preset().name(), codec.name())
              .isLessThan(6.0);
        }
      }
    }
  }

  private static Path file(String shape, int orientation) {
    return Corpus.dir("orientation").resolve(shape + "_" + orientation + ".jpg");
  }
}
