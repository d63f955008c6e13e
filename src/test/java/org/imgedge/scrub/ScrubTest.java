package org.imgedge.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bit rot and lost files, made on disk behind the service's back: the scrub finds each, makes the
 * variants again from their originals, and reports a corrupt original without touching it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ScrubTest {

  private Vertx vertx;
  private TestApp app;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    app = TestApp.start(vertx).await();
  }

  @AfterEach
  void stop() throws Exception {
    TestApp.closeWith(app, vertx);
  }

  @Test
  @DisplayName("a corrupt variant and a deleted one are found and made again; a corrupt original is reported and left as it is")
  void findsAndRemakes() throws Exception {
    List<Path> photos = Corpus.files("photos");
    JsonObject a = upload(photos.get(0));
    JsonObject b = upload(photos.get(1));
    JsonObject c = upload(photos.get(2));
    Path aSmall = blob(a, "small.jpg");
    Path aSmallWebp = blob(a, "small.webp");
    String aSmallWebpSha = Corpus.sha256(aSmallWebp);
    flipBytes(aSmallWebp);
    Path bMedium = blob(b, "medium.jpg");
    Path cOriginal = blob(c, "original");
    // as stored at upload, which the catalog records
    String aSmallSha = Corpus.sha256(aSmall);
    String bMediumSha = Corpus.sha256(bMedium);
    flipBytes(aSmall);
    Files.delete(bMedium);
    flipBytes(cOriginal);
    String corruptOriginal = Corpus.sha256(cOriginal);

    assertThat(app.request(HttpMethod.POST, "/v1/admin/scrub", TestApp.ADMIN).send().await().statusCode()).isEqualTo(202);
    JsonObject report = awaitDone();
    System.out.println("ScrubTest: " + report.encode());

    String aId = a.getString("id");
    String bId = b.getString("id");
    String cId = c.getString("id");
    assertThat(report.getString("state")).isEqualTo("done");
    assertThat(report.getLong("images")).isEqualTo(3);
    assertThat(report.getJsonArray("variantsCorrupt").getList()).containsExactlyInAnyOrder(aId + "/small", aId + "/small.webp");
    assertThat(report.getJsonArray("variantsMissing").getList()).containsExactly(bId + "/medium");
    assertThat(report.getJsonArray("variantsRemade").getList()).containsExactlyInAnyOrder(aId + "/small", bId + "/medium");
    assertThat(report.getJsonArray("originalsCorrupt").getList()).containsExactly(cId);
    assertThat(report.getJsonArray("originalsMissing").getList()).isEmpty();
    assertThat(report.getJsonArray("remakesFailed").getList()).isEmpty();

    assertThat(Corpus.sha256(aSmall)).as("a's small, made again").isEqualTo(aSmallSha);
    assertThat(Corpus.sha256(aSmallWebp)).as("a's small WebP, made again").isEqualTo(aSmallWebpSha);
    assertThat(Corpus.sha256(bMedium)).as("b's medium, made again").isEqualTo(bMediumSha);
    assertThat(Corpus.sha256(cOriginal)).as("c's original: reported, never repaired").isEqualTo(corruptOriginal);
    var served = app.get(variant(b, "medium").getString("url"), null).send().await();
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(Corpus.sha256(served.body().getBytes())).isEqualTo(bMediumSha);
  }

  private JsonObject upload(Path photo) {
    var created = app.upload(TestApp.ALICE, photo).await();
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject();
  }

  private static JsonObject variant(JsonObject image, String preset) {
    return image.getJsonObject("variants").getJsonObject(preset);
  }

  private Path blob(JsonObject image, String name) {
    return app.stored().blobFiles(image.getString("id")).stream().filter(p -> p.getFileName().toString().equals(name))
        .findFirst().orElseThrow();
  }

  /** Bit rot: a few bytes in the middle changed, the length kept. */
  private static void flipBytes(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
      bytes[i] ^= 0x5a;
    }
    Files.write(file, bytes);
  }

  private JsonObject awaitDone() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonObject report = app.get("/v1/admin/scrub", TestApp.ADMIN).send().await().bodyAsJsonObject();
      if (!"running".equals(report.getString("state"))) {
        return report;
      }
      assertThat(System.nanoTime()).as("scrub still running: %s", report.encode()).isLessThan(deadline);
      vertx.timer(50).await();
    }
  }
}
