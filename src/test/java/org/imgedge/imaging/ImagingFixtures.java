package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;

/** What the imaging tests need around the corpus: presets, codecs, the pipeline, and pixel comparisons. */
final class ImagingFixtures {

  static final Preset SMALL = new Preset("small", 400, 80);
  static final Preset MEDIUM = new Preset("medium", 1000, 85);
  static final List<Preset> PRESETS = List.of(SMALL, MEDIUM);
  static final long MAX_PIXELS = 100_000_000L;
  /** For {@code @MethodSource}: a test of the imaging runs once on each codec. */
  static final String CODECS = "org.imgedge.imaging.ImagingFixtures#codecs";

  private ImagingFixtures() {}

  static List<JpegCodec> codecs() {
    return List.of(JpegCodec.turbo(), JpegCodec.imageIo());
  }

  /** The production pipeline: orientation comes from the real ExifReader. */
  static VariantPipeline pipeline(JpegCodec codec) {
    return VariantPipeline.create(codec);
  }

  /** Decodes a variant back to pixels with the JDK, independently of the codec that made it. */
  static RgbImage pixels(byte[] jpeg) throws IOException {
    return RgbImage.fromAwt(ImageIO.read(new ByteArrayInputStream(jpeg)));
  }

  /** Mean absolute difference per channel sample, 0..255. */
  static double meanAbsDiff(RgbImage a, RgbImage b) {
    assertThat(b.width()).isEqualTo(a.width());
    assertThat(b.height()).isEqualTo(a.height());
    long sum = 0;
    byte[] x = a.rgb(), y = b.rgb();
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
    }
    return (double) sum / x.length;
  }

  /** Whether the JPEG carries an APP1 segment (EXIF or XMP) before its image data. */
  static boolean hasApp1(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xff) == 0xFF) {
      int marker = jpeg[pos + 1] & 0xff;
      if (marker == 0xE1) {
        return true;
      }
      if (marker == 0xDA) {
        return false;
      }
      pos += 2 + (((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff));
    }
    return false;
  }
}
