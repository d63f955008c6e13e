package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Our ThumbHash encoder gives the bytes of the reference implementation (the npm package {@code thumbhash},
 * pinned in .ci/thumbhash-reference and run by node) for the same RGBA pixels: those of the corpus photos'
 * small variants as the pipeline made them, and generated pictures for what photos never have (alpha, tiny
 * and extreme aspect ratios).
 */
class ThumbHashReferenceTest {

  private static final Path REFERENCE = Path.of(System.getProperty("user.dir"), ".ci/thumbhash-reference");

  /** One picture to hash: a name for messages, its size and its RGBA. */
  private record Pixels(String name, int width, int height, byte[] rgba) {}

  @Test
  @DisplayName("the corpus photos' small variants and generated pictures hash to the reference's bytes")
  void equalsReference() throws Exception {
    List<Pixels> pictures = new ArrayList<>();
    VariantPipeline pipeline = ImagingFixtures.pipeline(JpegCodec.best());
    for (Path photo : Corpus.files("photos")) {
      Rendered rendered = pipeline.render(photo, ImagingFixtures.PRESETS, ImagingFixtures.MAX_PIXELS);
      EncodedVariant small = rendered.variants().get(ImagingFixtures.PRESETS.indexOf(ImagingFixtures.SMALL));
      RgbImage fitted = Placeholder.fitted(ImagingFixtures.pixels(small.jpeg()));
      assertThat(Math.max(fitted.width(), fitted.height())).isEqualTo(ThumbHash.MAX_SIDE);
      pictures.add(new Pixels(photo.getFileName().toString(), fitted.width(), fitted.height(), Placeholder.rgba(fitted)));
      // what the upload recorded was made from the same variant's pixels just before they were encoded
      byte[] recorded = rendered.thumbHash();
      byte[] fromJpeg = ThumbHash.encode(fitted.width(), fitted.height(), Placeholder.rgba(fitted));
      assertThat(recorded).as(photo + ": same length, and the same aspect in the header").hasSameSizeAs(fromJpeg);
      assertThat(recorded[3] & 7).isEqualTo(fromJpeg[3] & 7);
      assertThat(recorded[4] & 0x80).isEqualTo(fromJpeg[4] & 0x80);
    }
    pictures.addAll(generated());

    List<String> reference = reference(pictures);
    for (int i = 0; i < pictures.size(); i++) {
      Pixels p = pictures.get(i);
      String ours = Base64.getEncoder().encodeToString(ThumbHash.encode(p.width(), p.height(), p.rgba()));
      assertThat(ours).as(p.name() + " " + p.width() + "x" + p.height()).isEqualTo(reference.get(i));
    }
  }

  @Test
  @DisplayName("sizes the format does not define, or pixels that do not fill the size, are refused")
  void refusesWhatIsNotAThumbHashInput() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ThumbHash.encode(101, 10, new byte[101 * 10 * 4]))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ThumbHash.encode(10, 10, new byte[10 * 10 * 3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Alpha (partly and wholly transparent), 1x1, a line each way, and the largest square. */
  private static List<Pixels> generated() {
    List<Pixels> out = new ArrayList<>();
    int[][] sizes = {{1, 1}, {100, 1}, {1, 100}, {100, 100}, {100, 37}, {37, 100}, {7, 3}};
    java.util.Random random = new java.util.Random(42);
    for (int[] s : sizes) {
      int w = s[0], h = s[1];
      for (String kind : List.of("gradient", "alpha", "clear", "noise")) {
        byte[] rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int j = (y * w + x) * 4;
            boolean noise = kind.equals("noise");
            rgba[j] = (byte) (noise ? random.nextInt(256) : 255 * x / Math.max(1, w - 1));
            rgba[j + 1] = (byte) (noise ? random.nextInt(256) : 255 * y / Math.max(1, h - 1));
            rgba[j + 2] = (byte) (noise ? random.nextInt(256) : (x * 7 + y * 13) & 0xff);
            rgba[j + 3] = (byte) switch (kind) {
              case "alpha" -> 255 * ((x + y) % 5) / 4;
              case "clear" -> 0;
              case "noise" -> random.nextInt(256);
              default -> 255;
            };
          }
        }
        out.add(new Pixels(kind, w, h, rgba));
      }
    }
    return out;
  }

  /** Every picture through one node process running the reference; @return its hashes, in order */
  private static List<String> reference(List<Pixels> pictures) throws Exception {
    if (!Files.isDirectory(REFERENCE.resolve("node_modules/thumbhash"))) {
      // CI must run it; a developer without Node gets told what is missing
      assertThat(System.getenv("CI")).as("the reference thumbhash is installed by .ci/install-deps").isNull();
      assumeTrue(false, "the reference thumbhash is not installed: run .ci/install-deps (npm ci in .ci/thumbhash-reference)");
    }
    Process node = new ProcessBuilder("node", "encode.mjs").directory(REFERENCE.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      Thread feeder = new Thread(() -> {
        try (Writer in = new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.US_ASCII)) {
          for (Pixels p : pictures) {
            in.write(p.width() + " " + p.height() + " " + Base64.getEncoder().encodeToString(p.rgba()) + "\n");
          }
        } catch (java.io.IOException e) {
          // node exited early: the count check below says so
        }
      });
      feeder.start();
      List<String> hashes = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.US_ASCII))) {
        for (String line; (line = out.readLine()) != null; ) {
          hashes.add(line);
        }
      }
      feeder.join();
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).isZero();
      assertThat(hashes).hasSameSizeAs(pictures);
      return hashes;
    } finally {
      node.destroyForcibly();
    }
  }
}
