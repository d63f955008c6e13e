package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Problems;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code DELETE /v1/images/{id}}: afterwards nothing of the image is served or stored. */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class DeleteTest {

  @Test
  @DisplayName("after a 204, the image, its variants (even ones served and cached before), its original and its files are gone")
  void deleteRemovesEverything(VertxTestContext ctx) {
    Path file = Corpus.file("orientation", "landscape_5.jpg");
    JsonObject[] image = new JsonObject[1];
    List<String> etags = new ArrayList<>();
    service().upload(TestApp.ALICE, file).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          image[0] = r.bodyAsJsonObject();
          // warm every path a later read could take: versioned and by-name URLs, and the original
          return Future.all(variantReads(image[0], null));
        })
        .compose(warm -> {
          warm.<HttpResponse<Buffer>>list().forEach(r -> etags.add(r.getHeader("ETag")));
          ctx.verify(() -> assertThat(warm.<HttpResponse<Buffer>>list()).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200)));
          ctx.verify(() -> assertThat(service().stored().blobFiles(image[0].getString("id"))).hasSize(Storage.BLOBS_PER_IMAGE));
          return service().request(HttpMethod.DELETE, "/v1/images/" + image[0].getString("id"), TestApp.ALICE).send();
        })
        .expecting(HttpResponseExpectation.SC_NO_CONTENT)
        .compose(deleted -> {
          String id = image[0].getString("id");
          List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>(variantReads(image[0], etags.get(0)));
          reads.add(service().get("/v1/images/" + id, TestApp.ALICE).send());
          reads.add(service().get("/v1/images/" + id, TestApp.ADMIN).send());
          reads.add(service().get("/v1/images/" + id + "/original", TestApp.ADMIN).send());
          reads.add(service().get("/v1/images/" + id + "/original", TestApp.WORKER).send());
          reads.add(service().request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.ALICE).send());
          return Future.all(reads);
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          for (HttpResponse<Buffer> r : after.<HttpResponse<Buffer>>list()) {
            assertThat(r.statusCode()).as("after delete: %s", r.bodyAsString()).isEqualTo(404);
          }
          String id = image[0].getString("id");
          assertThat(service().stored().rows(id)).isZero();
          assertThat(service().stored().blobFiles(id)).as("files of the deleted image").isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("deleting an image that does not exist answers 404 problem+json")
  void deleteUnknown(VertxTestContext ctx) {
    service().request(HttpMethod.DELETE, "/v1/images/" + org.imgedge.support.Ids.next(), TestApp.ALICE).send()
        .onComplete(Problems.expectProblem(ctx, 404));
  }

  @Test
  @DisplayName("an admin may delete anyone's image; the owner's other images stay")
  void adminDeletes(VertxTestContext ctx) {
    JsonObject[] kept = new JsonObject[1];
    service().upload(TestApp.BOB, Corpus.file("orientation", "portrait_5.jpg")).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(k -> {
          kept[0] = k.bodyAsJsonObject();
          return service().upload(TestApp.BOB, Corpus.file("orientation", "portrait_6.jpg")).expecting(HttpResponseExpectation.SC_CREATED);
        })
        .compose(gone -> service().request(HttpMethod.DELETE, gone.getHeader("Location"), TestApp.ADMIN).send()
            .expecting(HttpResponseExpectation.SC_NO_CONTENT))
        .compose(v -> Future.all(
            service().get("/v1/images/" + kept[0].getString("id"), TestApp.BOB).send(),
            service().get(ImageChecks.versioned(kept[0], "small"), null).send()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<HttpResponse<Buffer>>list()).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
          assertThat(service().stored().blobFiles(kept[0].getString("id"))).hasSize(Storage.BLOBS_PER_IMAGE);
          ctx.completeNow();
        })));
  }

  /** GETs and HEADs of both variants by versioned and by-name URL, with an If-None-Match when given. */
  private static List<Future<HttpResponse<Buffer>>> variantReads(JsonObject image, String ifNoneMatch) {
    List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
    for (String preset : ImageChecks.PRESETS.keySet()) {
      for (String url : List.of(ImageChecks.versioned(image, preset), ImageChecks.byName(image, preset))) {
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
          var request = service().request(method, url, null);
          if (ifNoneMatch != null) {
            request.putHeader("If-None-Match", ifNoneMatch);
          }
          reads.add(request.send());
        }
      }
    }
    return reads;
  }
}
