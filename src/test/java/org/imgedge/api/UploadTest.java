package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.Photo;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /v1/images}: what an accepted upload answers, and that a repeat never makes a duplicate. */
@WithService
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class UploadTest {

  @ParameterizedTest
  @MethodSource("org.imgedge.testing.Photo#all")
  @DisplayName("a multipart upload of a photo answers 201, its Location and the Image of API.md")
  void multipartPhoto(Photo photo, VertxTestContext ctx) {
    service().upload(TestApp.ALICE, photo.file())
        .expecting(HttpResponseExpectation.SC_CREATED)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject image = r.bodyAsJsonObject();
          ImageChecks.assertWellFormed(image);
          assertThat(r.getHeader("Location")).isEqualTo("/v1/images/" + image.getString("id"));
          assertThat(r.getHeader("Content-Type")).startsWith("application/json");
          JsonObject original = image.getJsonObject("original");
          assertThat(original.getString("contentType")).isEqualTo("image/jpeg");
          assertThat(original.getLong("bytes")).isEqualTo(photo.bytes());
          assertThat(original.getString("sha256")).isEqualTo(Corpus.sha256(photo.file()));
          assertThat(original.getInteger("width")).as("displayed width").isEqualTo(photo.displayedWidth());
          assertThat(original.getInteger("height")).as("displayed height").isEqualTo(photo.displayedHeight());
          assertThat(image.getJsonObject("metadata").getJsonObject("camera").getString("make"))
              .isEqualToIgnoringWhitespace(photo.make());
          JsonObject metadata = image.getJsonObject("metadata");
          assertThat(metadata.getValue("gps") != null).as("gps present as in the EXIF").isEqualTo(photo.hasGps());
          if (metadata.getValue("takenAt") != null) {
            assertThat(metadata.getString("takenAt")).as("camera wall-clock time, no zone invented")
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
          }
          ImageChecks.assertVariants(image, photo.displayedWidth(), photo.displayedHeight());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the iPhone 4S photo (EXIF orientation 6, stored landscape) is reported portrait, as displayed")
  void orientationSixIsPortrait(VertxTestContext ctx) {
    Photo photo = Photo.of(Corpus.file("photos", "apple-iphone-4s.jpg"));
    service().uploadRaw(TestApp.BOB, photo.file())
        .expecting(HttpResponseExpectation.SC_CREATED)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject image = r.bodyAsJsonObject();
          JsonObject original = image.getJsonObject("original");
          assertThat(original.getInteger("width")).isLessThan(original.getInteger("height"));
          for (String preset : ImageChecks.PRESETS.keySet()) {
            JsonObject v = image.getJsonObject("variants").getJsonObject(preset);
            assertThat(v.getInteger("width")).as(preset).isLessThan(v.getInteger("height"));
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a raw body with Content-Type image/jpeg is accepted like a multipart part, and can be read back")
  void rawBody(VertxTestContext ctx) {
    Path file = Corpus.file("orientation", "landscape_2.jpg");
    service().uploadRaw(TestApp.ALICE, file)
        .expecting(HttpResponseExpectation.SC_CREATED)
        .compose(created -> service().get(created.getHeader("Location"), TestApp.ALICE).send()
            .expecting(HttpResponseExpectation.SC_OK)
            .map(read -> List.of(created.bodyAsJsonObject(), read.bodyAsJsonObject())))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject image = both.get(0);
          ImageChecks.assertWellFormed(image);
          assertThat(image.getJsonObject("original").getString("sha256")).isEqualTo(Corpus.sha256(file));
          assertThat(image.getJsonObject("original").getLong("bytes")).isEqualTo(Corpus.bytes(file).length);
          assertThat(both.get(1)).as("GET answers the same Image").isEqualTo(image);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the same bytes again by the same owner answer 200 with the same image, not a second one")
  void retryBySameOwner(VertxTestContext ctx) {
    Path file = Corpus.file("orientation", "portrait_2.jpg");
    service().upload(TestApp.BOB, file)
        .expecting(HttpResponseExpectation.SC_CREATED)
        .compose(first -> service().uploadRaw(TestApp.BOB, file)
            .expecting(HttpResponseExpectation.SC_OK)
            .map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject first = both.get(0).bodyAsJsonObject();
          JsonObject second = both.get(1).bodyAsJsonObject();
          assertThat(second.getString("id")).isEqualTo(first.getString("id"));
          assertThat(second).isEqualTo(first);
          assertThat(service().stored().rowsWithSha(Corpus.sha256(file))).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the same bytes by another owner make a new image of theirs (201, another id)")
  void sameBytesOtherOwner(VertxTestContext ctx) {
    Path file = Corpus.file("orientation", "portrait_3.jpg");
    service().upload(TestApp.ALICE, file)
        .expecting(HttpResponseExpectation.SC_CREATED)
        .compose(alice -> service().upload(TestApp.BOB, file)
            .expecting(HttpResponseExpectation.SC_CREATED)
            .map(bob -> List.of(alice.bodyAsJsonObject(), bob.bodyAsJsonObject())))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertThat(both.get(1).getString("id")).isNotEqualTo(both.get(0).getString("id"));
          assertThat(service().stored().rowsWithSha(Corpus.sha256(file))).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("ten concurrent identical uploads make one image: one 201, nine 200, one set of blobs")
  void concurrentIdenticalUploads(VertxTestContext ctx) {
    Path file = Corpus.file("formats", "progressive.jpg");
    String sha = Corpus.sha256(file);
    int n = 10;
    Checkpoint created = ctx.checkpoint(1);
    Checkpoint repeated = ctx.checkpoint(n - 1);
    List<Future<HttpResponse<Buffer>>> uploads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      uploads.add(service().upload(TestApp.ADMIN, file).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertThat(r.statusCode()).as(r.bodyAsString()).isIn(200, 201);
        (r.statusCode() == 201 ? created : repeated).flag();
      }))));
    }
    Future.all(uploads)
        .compose(all -> service().get("/v1/images?limit=200", TestApp.ADMIN).send().expecting(HttpResponseExpectation.SC_OK)
            .map(list -> {
              List<String> ids = new ArrayList<>();
              all.<HttpResponse<Buffer>>list().forEach(r -> ids.add(r.bodyAsJsonObject().getString("id")));
              return List.of(ids, list.bodyAsJsonObject().getJsonArray("items"));
            }))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          @SuppressWarnings("unchecked") List<String> ids = (List<String>) result.get(0);
          JsonArray items = (JsonArray) result.get(1);
          assertThat(ids).as("every answer names the same image").containsOnly(ids.get(0));
          long listed = items.stream().map(JsonObject.class::cast)
              .filter(i -> sha.equals(i.getJsonObject("original").getString("sha256"))).count();
          assertThat(listed).as("listed once").isEqualTo(1);
          assertThat(service().stored().rowsWithSha(sha)).isEqualTo(1);
          assertThat(service().stored().blobFiles(ids.get(0))).as("original + small + medium, JPEG and WebP").hasSize(Storage.BLOBS_PER_IMAGE);
          // a set of blobs per row: no orphan left by the nine that lost the race
          assertThat(service().stored().blobFiles()).hasSize(Storage.BLOBS_PER_IMAGE * (int) service().stored().rows());
          ctx.completeNow();
        })));
  }
}
