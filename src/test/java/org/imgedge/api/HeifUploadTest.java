package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.imgedge.testing.ColorDifference;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.HostileHeif;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Pixels;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** HEIC and AVIF, as phones send them: decoded by libheif, upright, with the original kept for workers. */
@WithService
class HeifUploadTest {

  @TempDir
  Path tmp;

  /** Each distinct file once (formats/iphone.heic is the same file as one in heic/): a repeat would answer 200. */
  static Stream<Path> heifFiles() {
    List<Path> files = new ArrayList<>(Corpus.files("heic"));
    files.add(Corpus.file("formats", "iphone.heic"));
    files.add(Corpus.file("formats", "sample.avif"));
    Set<String> seen = new HashSet<>();
    return files.stream().filter(f -> seen.add(Corpus.sha256(f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("heifFiles")
  @DisplayName("a HEIC or AVIF gets 201 with variants that fit their boxes, upright, without EXIF, the size and look (ΔE ≤ 2) of"
      + " vipsthumbnail's, and its original byte for byte")
  void uploads(Path file) throws Exception {
    HttpResponse<Buffer> created = service().uploadCreated(TestApp.ALICE, file);
    JsonObject image = created.bodyAsJsonObject();
    JsonObject original = image.getJsonObject("original");
    String name = file.getFileName().toString();
    System.out.printf("heif: %s: %s %dx%d%n", name, original.getString("contentType"), original.getInteger("width"),
        original.getInteger("height"));
    assertThat(original.getString("contentType")).isEqualTo(name.endsWith(".avif") ? "image/avif" : "image/heic");
    ImageChecks.assertWellFormed(image);
    ImageChecks.assertVariants(image, original.getInteger("width"), original.getInteger("height"));
    for (String preset : ImageChecks.PRESETS.keySet()) {
      byte[] jpeg = await(service().get(ImageChecks.versioned(image, preset), null).send()).bodyAsBuffer().getBytes();
      BufferedImage pixels = Pixels.decode(jpeg);
      JsonObject expected = image.getJsonObject("variants").getJsonObject(preset);
      assertThat(pixels.getWidth()).isEqualTo(expected.getInteger("width"));
      assertThat(pixels.getHeight()).isEqualTo(expected.getInteger("height"));
      assertThat(containsExif(jpeg)).as("%s %s carries EXIF", name, preset).isFalse();
      // libvips reads HEIF with libheif too: its thumbnail is how this photo should come out
      BufferedImage vips = Pixels.decode(vipsThumbnail(file, ImageChecks.PRESETS.get(preset)));
      double deltaE = ColorDifference.meanDeltaE(jpeg, vips);
      System.out.printf("heif: %s %s: %dx%d (vipsthumbnail %dx%d), mean ΔE %.2f against vipsthumbnail's%n", name, preset,
          pixels.getWidth(), pixels.getHeight(), vips.getWidth(), vips.getHeight(), deltaE);
      assertThat(pixels.getWidth()).as("%s %s width as libvips makes it", name, preset).isEqualTo(vips.getWidth());
      assertThat(pixels.getHeight()).as("%s %s height as libvips makes it", name, preset).isEqualTo(vips.getHeight());
      assertThat(deltaE).as("%s %s mean ΔE against vipsthumbnail's", name, preset).isLessThanOrEqualTo(2.0);
    }
    byte[] kept = await(service().request(HttpMethod.GET, created.getHeader("Location") + "/original", TestApp.WORKER).send())
        .bodyAsBuffer().getBytes();
    assertThat(kept).as("the original, for workers").isEqualTo(Corpus.bytes(file));
  }

  @Test
  @DisplayName("the iPhone portrait stored as a rotated landscape grid (irot) comes out portrait")
  void rotatedGridIsUpright() throws Exception {
    HttpResponse<Buffer> created = await(service().upload(TestApp.BOB, Corpus.file("heic", "iphone-img-2927.heic")));
    JsonObject original = created.bodyAsJsonObject().getJsonObject("original");
    assertThat(original.getInteger("width")).isEqualTo(3024);
    assertThat(original.getInteger("height")).isEqualTo(4032);
  }

  @Test
  @DisplayName("a HEIC declaring 60000x60000 in its ispe boxes is refused 413 too-many-pixels in under 2 s, before any decode")
  void pixelFlood() throws Exception {
    byte[] heic = HostileHeif.withIspe(Corpus.bytes(Corpus.file("formats", "iphone.heic")), null, new int[] {60_000, 60_000});
    long start = System.nanoTime();
    HttpResponse<Buffer> refused = await(service().uploadRaw(TestApp.ALICE, Buffer.buffer(heic), "image/heic"));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("heif: 60000x60000 pixel flood: %d in %.2f s%n", refused.statusCode(), seconds);
    assertThat(Problems.assertProblem(refused, 413).getString("type")).isEqualTo("urn:imgedge:error:too-many-pixels");
    assertThat(seconds).isLessThan(2.0);
  }

  @Test
  @DisplayName("a tile grid whose descriptor declares 30000x30000 over its 48 tiles is refused 422 undecodable-image, and the"
      + " next HEIC is decoded")
  void inconsistentGrid() throws Exception {
    byte[] heic = HostileHeif.gridDeclaring(30_000, 30_000);
    HttpResponse<Buffer> refused = await(service().uploadRaw(TestApp.ALICE, Buffer.buffer(heic), "image/heic"));
    assertThat(Problems.assertProblem(refused, 422).getString("type")).isEqualTo("urn:imgedge:error:undecodable-image");
    // libheif 1.15 crashes on this file when it can allocate the declared size (see HeifProcessTest); held to the
    // memory the header declares, it fails instead. Either way the next HEIC is decoded.
    HttpResponse<Buffer> next = await(service().upload(TestApp.BOB, Corpus.file("formats", "iphone.heic")));
    assertThat(next.statusCode()).as(next.bodyAsString()).isIn(200, 201);
    assertThat(await(service().get(ImageChecks.versioned(next.bodyAsJsonObject(), "small"), null).send()).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a HEIC whose header declares 100x75 but whose grid decodes to 4032x3024 is refused 422, not rendered past its admission")
  void decodesBiggerThanDeclared() throws Exception {
    byte[] heic = HostileHeif.withIspe(Corpus.bytes(Corpus.file("heic", "iphone-img-1034.heic")), new int[] {4032, 3024},
        new int[] {100, 75});
    HttpResponse<Buffer> refused = await(service().uploadRaw(TestApp.ALICE, Buffer.buffer(heic), "image/heic"));
    assertThat(Problems.assertProblem(refused, 422).getString("type")).isEqualTo("urn:imgedge:error:undecodable-image");
  }

  /**
   * vipsthumbnail's JPEG of {@code file} fitting {@code box} (installed by .ci/install-deps), profile kept, at quality
   * 100 and 4:4:4: libvips' rendering with next to nothing lost to its own encode.
   */
  private byte[] vipsThumbnail(Path file, int box) throws Exception {
    Path out = tmp.resolve(box + "-" + file.getFileName() + ".jpg");
    Process vips = new ProcessBuilder("vipsthumbnail", file.toString(), "--size", box + "x" + box, "-o", out + "[Q=100,subsample-mode=off]")
        .redirectErrorStream(true).start();
    String said = new String(vips.getInputStream().readAllBytes());
    assertThat(vips.waitFor()).as("vipsthumbnail: %s", said).isZero();
    return Files.readAllBytes(out);
  }

  /** Whether a JPEG has an APP1 segment (EXIF or XMP) before its first scan. */
  private static boolean containsExif(byte[] jpeg) {
    for (int i = 2; i + 4 < jpeg.length && (jpeg[i] & 0xFF) == 0xFF; ) {
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == 0xE1) {
        return true;
      }
      if (marker == 0xDA) {
        return false;
      }
      i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
    }
    return false;
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
  }
}
