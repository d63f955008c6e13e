package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.imgedge.support.Hashing;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Pixels;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The corpus by category: every fuzzed file in {@code bad/} is refused with a clear 4xx and leaves
 * nothing behind; every file in {@code formats/} (JPEG, PNG, GIF, WebP, HEIC, AVIF) is read, decided
 * from the bytes whatever the declared type, and an ISO BMFF file that is not HEIF is refused.
 */
@WithService
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class CorpusCategoriesTest {

  @Test
  @DisplayName("every fuzzed file of bad/ answers 400, 413, 415 or 422 problem+json, and nothing is stored")
  void badFiles(Vertx vertx, VertxTestContext ctx) {
    List<Path> files = Corpus.files("bad");
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    long rowsBefore = service().stored().rows();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      // half as multipart, half as raw bodies: both paths must clean up
      boolean raw = i % 2 == 1;
      chain = chain.compose(v -> (raw ? service().uploadRaw(TestApp.ALICE, file) : service().upload(TestApp.ALICE, file)).map(r -> {
        byStatus.merge(r.statusCode(), 1, Integer::sum);
        try {
          assertThat(r.statusCode()).isIn(400, 413, 415, 422);
          Problems.assertProblem(r);
        } catch (AssertionError e) {
          wrong.add(file.getFileName() + ": " + r.statusCode() + " " + r.bodyAsString());
        }
        return null;
      }));
    }
    chain.compose(v -> service().stored().stagingDrained(vertx, 250))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          System.out.println("bad/ (" + files.size() + " files) by status: " + byStatus);
          assertThat(files).hasSizeGreaterThanOrEqualTo(100);
          assertThat(wrong).as("files not refused with a 4xx problem").isEmpty();
          assertThat(service().stored().rows()).isEqualTo(rowsBefore);
          assertThat(service().stored().blobFiles()).hasSize(Storage.BLOBS_PER_IMAGE * (int) rowsBefore);
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "cmyk-multiple-icc.jpg,   image/jpeg",
      "progressive.jpg,         image/jpeg",
      "gray.png,                image/png",
      "palette.png,             image/png",
      "rgba16.png,              image/png",
      "sample.png,              image/png",
      "sample.gif,              image/gif",
      "alpha-lossless-1-.webp,  image/webp",
      "alpha-lossless-2-.webp,  image/webp",
      "alpha-lossy-1-.webp,     image/webp",
      "iphone.heic,             image/heic",
      "sample.avif,             image/avif"})
  @DisplayName("a file of a supported format gets 201 and real JPEG variants, whatever type was declared")
  void supportedFormat(String name, String contentType, VertxTestContext ctx) {
    Path file = Corpus.file("formats", name);
    // declared as image/jpeg on purpose: the service must go by the bytes
    service().upload(TestApp.BOB, file).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          JsonObject image = r.bodyAsJsonObject();
          return service().get(ImageChecks.versioned(image, "medium"), null).send().expecting(HttpResponseExpectation.SC_OK)
              .map(medium -> List.of(r, medium));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject image = r.get(0).bodyAsJsonObject();
          System.out.println("formats/" + name + ": " + r.get(0).statusCode() + " " + image.getJsonObject("original").encode());
          ImageChecks.assertWellFormed(image);
          JsonObject original = image.getJsonObject("original");
          assertThat(original.getString("contentType")).isEqualTo(contentType);
          assertThat(original.getString("sha256")).isEqualTo(Corpus.sha256(file));
          ImageChecks.assertVariants(image, original.getInteger("width"), original.getInteger("height"));
          BufferedImage medium = Pixels.decode(r.get(1).bodyAsBuffer().getBytes());
          JsonObject expected = image.getJsonObject("variants").getJsonObject("medium");
          assertThat(medium.getWidth()).isEqualTo(expected.getInteger("width"));
          assertThat(medium.getHeight()).isEqualTo(expected.getInteger("height"));
          assertThat(r.get(1).getHeader("Content-Type")).isEqualTo("image/jpeg");
          if (contentType.equals("image/jpeg")) {
            // colours survive (CMYK with ICC profiles is where they go wrong): compare with the JDK's decode
            BufferedImage source = Pixels.decode(Corpus.bytes(file));
            double diff = Pixels.meanAbsDiff(source, medium);
            System.out.println("formats/" + name + ": medium vs original, mean abs diff " + diff);
            assertThat(diff).as("%s looks like the original", name).isLessThan(8.0);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an ISO BMFF file that is not HEIF (an MP4's ftyp) answers 415 unsupported-format and leaves nothing behind")
  void notHeif(Vertx vertx, VertxTestContext ctx) {
    byte[] mp4 = "\0\0\0\u0018ftypisom\0\0\0\0isommp41\0\0\0\u0008free".getBytes(StandardCharsets.ISO_8859_1);
    service().uploadRaw(TestApp.ALICE, Buffer.buffer(mp4), "image/heic")
        .compose(r -> service().stored().stagingDrained(vertx, 250).map(r))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(Problems.assertProblem(r, 415).getString("type")).isEqualTo("urn:imgedge:error:unsupported-format");
          assertThat(service().stored().rowsWithSha(Hashing.sha256(mp4))).isZero();
          ctx.completeNow();
        })));
  }
}
