package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keys and roles: 401 without a known key, 403 for a role that may not, 404 for another owner's image. */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class AuthTest {

  private static final Path ALICE_JPEG = Corpus.file("orientation", "landscape_6.jpg");
  private static final Path ALICE_PNG = Corpus.file("formats", "sample.png");

  private static JsonObject aliceJpeg;
  private static JsonObject alicePng;
  private static JsonObject bobs;

  @BeforeAll
  static void upload() throws Exception {
    aliceJpeg = service().uploadCreated(TestApp.ALICE, ALICE_JPEG).bodyAsJsonObject();
    alicePng = service().uploadCreated(TestApp.ALICE, ALICE_PNG).bodyAsJsonObject();
    bobs = service().uploadCreated(TestApp.BOB, Corpus.file("orientation", "portrait_6.jpg")).bodyAsJsonObject();
  }

  @Test
  @DisplayName("no key, an unknown key or another scheme answers 401 problem+json with WWW-Authenticate: Bearer")
  void unauthenticated(VertxTestContext ctx) {
    String id = aliceJpeg.getString("id");
    Map<String, Supplier<HttpRequest<Buffer>>> requests = Map.of(
        "no key", () -> service().request(HttpMethod.GET, "/v1/images", null),
        "unknown key", () -> service().get("/v1/images/" + id, "not-a-key-of-this-service-at-all"),
        "empty bearer", () -> service().get("/v1/images", null).putHeader("Authorization", "Bearer "),
        "basic scheme", () -> service().get("/v1/images", null).putHeader("Authorization", "Basic " + TestApp.ALICE),
        "key without scheme", () -> service().get("/v1/images", null).putHeader("Authorization", TestApp.ALICE),
        "original, no key", () -> service().get("/v1/images/" + id + "/original", null),
        "delete, no key", () -> service().request(HttpMethod.DELETE, "/v1/images/" + id, null));
    Checkpoint answered = ctx.checkpoint(requests.size() + 1);
    requests.forEach((what, request) -> request.get().send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      Problems.assertProblem(r, 401);
      assertThat(r.getHeader("WWW-Authenticate")).as(what).startsWith("Bearer");
      answered.flag();
    }))));
    service().uploadRaw(null, ALICE_JPEG).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      Problems.assertProblem(r, 401);
      assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(service().stored().rowsWithSha(Corpus.sha256(ALICE_JPEG))).isEqualTo(1);
      answered.flag();
    })));
  }

  @Test
  @DisplayName("a worker key may not upload, list or delete (403), and nothing is stored")
  void workerMayNotUseClientRoutes(VertxTestContext ctx) {
    long rowsBefore = service().stored().rows();
    Future.all(
            service().upload(TestApp.WORKER, Corpus.file("orientation", "landscape_7.jpg")),
            service().get("/v1/images", TestApp.WORKER).send(),
            service().get("/v1/images/" + aliceJpeg.getString("id"), TestApp.WORKER).send(),
            service().request(HttpMethod.DELETE, "/v1/images/" + aliceJpeg.getString("id"), TestApp.WORKER).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (HttpResponse<Buffer> r : all.<HttpResponse<Buffer>>list()) {
            Problems.assertProblem(r, 403);
          }
          assertThat(service().stored().rows()).isEqualTo(rowsBefore);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a client key gets 403 on /original, even for its own image")
  void clientsNeverGetOriginals(VertxTestContext ctx) {
    String own = "/v1/images/" + aliceJpeg.getString("id") + "/original";
    Future.all(service().get(own, TestApp.ALICE).send(), service().get(own, TestApp.BOB).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (HttpResponse<Buffer> r : all.<HttpResponse<Buffer>>list()) {
            Problems.assertProblem(r, 403);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("worker and admin keys get the exact original bytes, its content type and private, no-store")
  void workersAndAdminsGetOriginals(VertxTestContext ctx) {
    Map<JsonObject, Path> uploads = Map.of(aliceJpeg, ALICE_JPEG, alicePng, ALICE_PNG);
    Checkpoint served = ctx.checkpoint(4);
    uploads.forEach((image, file) -> {
      for (String key : List.of(TestApp.WORKER, TestApp.ADMIN)) {
        service().get("/v1/images/" + image.getString("id") + "/original", key).send()
            .expecting(HttpResponseExpectation.SC_OK)
            .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
              byte[] bytes = r.bodyAsBuffer().getBytes();
              assertThat(Corpus.sha256(bytes)).as("exact bytes of %s", file.getFileName()).isEqualTo(Corpus.sha256(file));
              assertThat(r.getHeader("Content-Length")).isEqualTo(String.valueOf(bytes.length));
              assertThat(r.getHeader("Content-Type")).isEqualTo(image.getJsonObject("original").getString("contentType"))
                  .isEqualTo(file.toString().endsWith(".png") ? "image/png" : "image/jpeg");
              assertThat(r.getHeader("Cache-Control")).isEqualTo("private, no-store");
              served.flag();
            })));
      }
    });
  }

  @Test
  @DisplayName("another client's image is answered 404 as if it did not exist, for reads and deletes")
  void otherOwnersImagesAreInvisible(VertxTestContext ctx) {
    String alices = "/v1/images/" + aliceJpeg.getString("id");
    Future.all(
            service().get(alices, TestApp.BOB).send(),
            service().request(HttpMethod.DELETE, alices, TestApp.BOB).send(),
            service().get("/v1/images/" + bobs.getString("id"), TestApp.ALICE).send())
        .compose(denied -> service().get(alices, TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_OK).map(denied))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (HttpResponse<Buffer> r : all.<HttpResponse<Buffer>>list()) {
            Problems.assertProblem(r, 404);
          }
          assertThat(service().stored().blobFiles(aliceJpeg.getString("id"))).as("bob's delete removed nothing").hasSize(Storage.BLOBS_PER_IMAGE);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an admin reads anyone's image and lists all; a client lists only its own")
  void listsByRole(VertxTestContext ctx) {
    Future.all(
            service().get("/v1/images", TestApp.ADMIN).send(),
            service().get("/v1/images", TestApp.BOB).send(),
            service().get("/v1/images", TestApp.ALICE).send(),
            service().get("/v1/images/" + aliceJpeg.getString("id"), TestApp.ADMIN).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> r = all.list();
          assertThat(r).allSatisfy(x -> assertThat(x.statusCode()).isEqualTo(200));
          assertThat(ids(r.get(0))).contains(aliceJpeg.getString("id"), alicePng.getString("id"), bobs.getString("id"));
          assertThat(ids(r.get(1))).containsExactly(bobs.getString("id"));
          assertThat(ids(r.get(2))).contains(aliceJpeg.getString("id"), alicePng.getString("id"))
              .doesNotContain(bobs.getString("id"));
          assertThat(r.get(3).bodyAsJsonObject()).isEqualTo(aliceJpeg);
          ctx.completeNow();
        })));
  }

  private static List<String> ids(HttpResponse<Buffer> list) {
    return list.bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast).map(i -> i.getString("id")).toList();
  }
}
