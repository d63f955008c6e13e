package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FormatsCorpusTest {

  private static final Set<String> OURS = Set.of("jpg", "png", "webp", "gif", "heic", "avif");
  /** Big enough that no sample is resized, so output pixels line up with source pixels. */
  private static final List<Preset> FULL_SIZE = List.of(new Preset("full", 20_000, 95));

  @ParameterizedTest
  @MethodSource(ImagingFixtures.CODECS)
  @DisplayName("JPEG (CMYK, progressive), PNG (16-bit, palette, grey, alpha), WebP, GIF, HEIC and AVIF samples render; other files are refused")
  void formatsRenderOrAreRefused(JpegCodec codec) throws Exception {
    VariantPipeline pipeline = ImagingFixtures.pipeline(codec);
    for (Path file : Corpus.files("formats")) {
      String name = file.getFileName().toString();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      if (OURS.contains(ext)) {
        Rendered r = pipeline.render(file, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
        assertThat(r.variants()).as(name).hasSize(2);
        for (EncodedVariant v : r.variants()) {
          RgbImage back = ImagingFixtures.pixels(v.jpeg());
          assertThat(back.width()).as(name).isEqualTo(v.width());
          assertThat(Math.max(v.width(), v.height())).isLessThanOrEqualTo(v.preset().box());
        }
      } else {
        assertThatThrownBy(() -> pipeline.render(file, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS)).as(name)
            .isInstanceOfSatisfying(ImagingException.class,
                e -> assertThat(e.kind()).isEqualTo(ImagingException.Kind.UNSUPPORTED_FORMAT));
      }
    }
  }

  @Test
  @DisplayName("transparent pixels come out white")
  void alphaIsCompositedOnWhite() throws Exception {
    VariantPipeline pipeline = ImagingFixtures.pipeline(JpegCodec.best());
    int checked = 0;
    for (String name : List.of("rgba16.png", "alpha-lossless-1-.webp", "alpha-lossless-2-.webp", "alpha-lossy-1-.webp")) {
      Path file = Corpus.dir("formats").resolve(name);
      BufferedImage source = ImageIO.read(file.toFile());
      int[] spot = transparentSpot(source);
      if (spot == null) {
        continue; // no fully transparent area in this sample
      }
      EncodedVariant v = pipeline.render(file, FULL_SIZE, ImagingFixtures.MAX_PIXELS).variants().get(0);
      RgbImage out = ImagingFixtures.pixels(v.jpeg());
      int i = (spot[1] * out.width() + spot[0]) * 3;
      for (int c = 0; c < 3; c++) {
        assertThat(out.rgb()[i + c] & 0xff).as("%s at %d,%d", name, spot[0], spot[1]).isGreaterThan(235);
      }
      checked++;
    }
    assertThat(checked).as("samples with a transparent area").isPositive();
  }

  @Test
  @DisplayName("a CMYK JPEG looks the same through libjpeg-turbo as through TwelveMonkeys' ICC-aware reader")
  void cmykColoursMatchTwelveMonkeys() throws Exception {
    Path file = Corpus.dir("formats").resolve("cmyk-multiple-icc.jpg");
    Rendered turbo = ImagingFixtures.pipeline(JpegCodec.turbo()).render(file, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
    Rendered imageIo = ImagingFixtures.pipeline(JpegCodec.imageIo()).render(file, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
    double diff = ImagingFixtures.meanAbsDiff(ImagingFixtures.pixels(turbo.variants().get(0).jpeg()),
        ImagingFixtures.pixels(imageIo.variants().get(0).jpeg()));
    System.out.printf("CMYK turbo vs TwelveMonkeys mean abs diff %.2f%n", diff);
    assertThat(diff).isLessThan(12.0);
  }

  /** A pixel whose 7x7 neighbourhood is fully transparent (so JPEG blur cannot reach it), or null. */
  private static int[] transparentSpot(BufferedImage img) {
    if (!img.getColorModel().hasAlpha()) {
      return null;
    }
    for (int y = 3; y < img.getHeight() - 3; y++) {
      for (int x = 3; x < img.getWidth() - 3; x++) {
        if (clearAround(img, x, y)) {
          return new int[] {x, y};
        }
      }
    }
    return null;
  }

  private static boolean clearAround(BufferedImage img, int x, int y) {
    for (int dy = -3; dy <= 3; dy++) {
      for (int dx = -3; dx <= 3; dx++) {
        if ((img.getRGB(x + dx, y + dy) >>> 24) != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
