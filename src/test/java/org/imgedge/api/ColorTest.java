package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.imgedge.testing.ColorDifference;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Jpeg;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wide-gamut originals give variants that look like the photo: measured against the sRGB reference in
 * {@code color/} through each variant's own profile (see {@link ColorDifference}). Before colour management
 * these scored 6.4 to 8.7.
 */
@WithService
class ColorTest {

  /**
   * A correct rendering scores about 1; resampling and JPEG add a little. (A 400-pixel JPEG at 4:2:0 scores above 2
   * even of the sRGB reference: its chroma is too coarse for the photo's fine needles, hence 4:4:4 for small.)
   */
  private static final double MAX_DELTA_E = 2.0;
  /**
   * Lossy WebP is always 4:2:0, so its variants score like a 4:2:0 JPEG: 1.4 to 2.8 at libwebp quality 83 (libvips'
   * WebP at that quality: 2.3 for the reference's small, 2.5 for a P3 medium). A WebP that lost its profile or its
   * conversion would score 6 to 9.
   */
  private static final double MAX_DELTA_E_WEBP = 3.0;

  @RegisterExtension
  static final RunningApp srgbOnly = new RunningApp(new JsonObject().put("imaging", new JsonObject().put("wideGamut", "srgb")));

  private static BufferedImage reference;

  @BeforeAll
  static void readTheReference() throws Exception {
    reference = ImageIO.read(Corpus.file("color", "srgb-reference.png").toFile());
  }

  /** Every original in color/, however many there are: the wide-gamut ones and the sRGB reference itself. */
  static Stream<Path> originals() {
    return Corpus.files("color").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("originals")
  @DisplayName("each variant is within ΔE 2 of the reference (its WebP 3); a Display P3 one is tagged P3, any other is untagged sRGB")
  void looksLikeTheReference(Path file) throws Exception {
    JsonObject image = service().uploadCreated(TestApp.ALICE, file).bodyAsJsonObject();
    boolean p3 = file.getFileName().toString().startsWith("display-p3");
    for (String preset : ImageChecks.PRESETS.keySet()) {
      for (String format : List.of("jpeg", "webp")) {
        byte[] bytes = variant(image, preset, format);
        double deltaE = ColorDifference.meanDeltaE(bytes, reference);
        Optional<ICC_Profile> profile = ColorDifference.embeddedProfile(bytes);
        System.out.printf("color: %s %s %s: mean ΔE %.2f, %d bytes, profile %s%n", file.getFileName(), preset, format, deltaE,
            bytes.length, profile.map(p -> p.getData().length + " bytes").orElse("none"));
        assertThat(deltaE).as("%s %s %s mean ΔE", file.getFileName(), preset, format)
            .isLessThanOrEqualTo(format.equals("webp") ? MAX_DELTA_E_WEBP : MAX_DELTA_E);
        assertThat(profile.isPresent()).as("%s %s %s carries a profile", file.getFileName(), preset, format).isEqualTo(p3);
      }
    }
  }

  @Test
  @DisplayName("with imaging.wideGamut srgb, a Display P3 original gives untagged sRGB variants, as close to the reference")
  void srgbOnly() throws Exception {
    Path file = Corpus.file("color", "display-p3.jpg");
    HttpResponse<Buffer> created = srgbOnly.get().uploadCreated(TestApp.ALICE, file);
    for (String preset : ImageChecks.PRESETS.keySet()) {
      byte[] jpeg = await(srgbOnly.get().get(ImageChecks.versioned(created.bodyAsJsonObject(), preset), null).send())
          .bodyAsBuffer().getBytes();
      double deltaE = ColorDifference.meanDeltaE(jpeg, reference);
      System.out.printf("color: srgb mode: %s %s: mean ΔE %.2f, %d bytes%n", file.getFileName(), preset, deltaE, jpeg.length);
      assertThat(ColorDifference.embeddedProfile(jpeg)).isEmpty();
      assertThat(deltaE).isLessThanOrEqualTo(MAX_DELTA_E);
    }
  }

  @Test
  @DisplayName("a broken embedded profile is read as sRGB: 201, untagged variants, and the warning metric counts each upload")
  void brokenProfile(@TempDir Path dir) throws Exception {
    byte[] jpeg = Files.readAllBytes(Corpus.file("color", "display-p3.jpg"));
    int profile = Jpeg.indexOf(jpeg, "ICC_PROFILE\0") + 14; // after the signature, sequence number and count
    System.arraycopy("nope".getBytes(StandardCharsets.US_ASCII), 0, jpeg, profile + 36, 4); // the header's 'acsp'
    long before = ignoredProfiles();
    for (String comment : List.of("one", "two")) {
      // the same profile in two different files (a comment segment after SOI): the second is not a duplicate
      byte[] file = ByteBuffer.allocate(jpeg.length + 4 + comment.length()).put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xFE)
          .putShort((short) (2 + comment.length())).put(comment.getBytes(StandardCharsets.US_ASCII)).put(jpeg, 2, jpeg.length - 2)
          .array();
      HttpResponse<Buffer> created = service().uploadCreated(TestApp.ALICE, Files.write(dir.resolve(comment + ".jpg"), file));
      for (String preset : ImageChecks.PRESETS.keySet()) {
        assertThat(ColorDifference.embeddedProfile(variant(created.bodyAsJsonObject(), preset, "jpeg"))).as(preset).isEmpty();
      }
    }
    assertThat(ignoredProfiles()).as("imgedge_imaging_color_profiles_ignored_total").isGreaterThanOrEqualTo(before + 2);
  }

  private static long ignoredProfiles() throws Exception {
    String name = "imgedge_imaging_color_profiles_ignored_total ";
    return await(service().get("/metrics", null).send()).bodyAsString().lines().filter(l -> l.startsWith(name))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(name.length()))).findFirst().orElseThrow();
  }

  private static byte[] variant(JsonObject image, String preset, String format) throws Exception {
    String url = image.getJsonObject("variants").getJsonObject(preset).getJsonObject("formats").getJsonObject(format).getString("url");
    return await(service().get(url, null).send()).bodyAsBuffer().getBytes();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
  }
}
