package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.JpegHeader;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.metadata.ExifReader;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The speed work's safety net: variants must stay as close to an ideal resize as libvips gets. Each JPEG variant
 * is compared (SSIM) with Lanczos-3 in double precision from the full-size decode; bench/pipeline.sh prints the
 * same figures next to vipsthumbnail's (median 0.978 medium, 0.982 small at Q=85).
 */
class QualityTest {

  private static final List<Preset> Q85 = List.of(new Preset("medium", 1000, 85), new Preset("small", 400, 85));

  @Test
  @DisplayName("turbo variants of every photo stay within SSIM reach of a full-resolution floating-point Lanczos-3")
  void variantsMatchReference() throws Exception {
    VariantPipeline pipeline = VariantPipeline.create(JpegCodec.turbo());
    List<Double> scores = new ArrayList<>();
    for (Path photo : Corpus.files("photos")) {
      Ssim.Luma full = fullSize(photo);
      for (EncodedVariant v : pipeline.render(photo, Q85, ImagingFixtures.MAX_PIXELS).variants()) {
        RgbImage pixels = JpegCodec.turbo().decode(v.jpeg(), v.width(), v.height());
        double ssim = Ssim.of(Ssim.Luma.of(pixels), ReferenceResampler.resize(full, v.width(), v.height()));
        System.out.printf("SSIM %-40s %-6s %.4f%n", photo.getFileName(), v.preset().name(), ssim);
        // the hardest photo (fine foliage) scores 0.965 with libvips too
        assertThat(ssim).as(photo.getFileName() + " " + v.preset().name()).isGreaterThan(0.96);
        scores.add(ssim);
      }
    }
    scores.sort(null);
    double median = (scores.get(scores.size() / 2) + scores.get((scores.size() - 1) / 2)) / 2;
    assertThat(median).as("median SSIM").isGreaterThanOrEqualTo(0.974);
  }

  private static Ssim.Luma fullSize(Path photo) throws Exception {
    byte[] jpeg = Files.readAllBytes(photo);
    JpegHeader header = JpegHeader.parse(jpeg);
    RgbImage full = JpegCodec.turbo().decode(jpeg, header.width(), header.height());
    return Ssim.Luma.of(Orient.apply(full, Orient.normalise(ExifReader.read(photo, "image/jpeg").orientation())));
  }
}
