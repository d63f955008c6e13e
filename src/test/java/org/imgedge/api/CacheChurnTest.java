package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node whose memory cache is smaller than the variants phones ask for keeps evicting and reloading
 * them: every response must still be whole and right, whether it was sent from memory, from a file the
 * cache has just dropped, or from storage.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class CacheChurnTest {

  private static final List<String> PHOTOS = List.of("nokia-lumia-800.jpg", "apple-iphone-4s.jpg", "leica-t-typ-701.jpg");
  private static final int ROUNDS = 40;

  @Test
  @DisplayName("with room for about one medium variant, concurrent reads of three photos all get their exact bytes")
  void evictingWhileServing(Vertx vertx, VertxTestContext ctx) {
    // a medium variant is about 150 KB: 250 KB holds one of them and a few small ones
    JsonObject tinyCache = new JsonObject().put("cache", new JsonObject().put("maxBytes", 250_000));
    TestApp.start(vertx, tinyCache).onComplete(ctx.succeeding(app -> {
      List<JsonObject> images = new ArrayList<>();
      Future<Void> uploaded = Future.succeededFuture();
      for (String photo : PHOTOS) {
        uploaded = uploaded.compose(v -> app.upload(TestApp.ALICE, Corpus.file("photos", photo))
            .expecting(HttpResponseExpectation.SC_CREATED)
            .map(r -> {
              images.add(r.bodyAsJsonObject());
              return null;
            }));
      }
      uploaded
          // the bytes as first served, one at a time, to compare every later response with
          .compose(v -> Future.all(images.stream().map(i -> app.get(ImageChecks.versioned(i, "medium"), null).send()).toList()))
          .compose(first -> {
            List<Future<HttpResponse<Buffer>>> reads = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
              for (JsonObject image : images) {
                reads.add(app.get(ImageChecks.versioned(image, "medium"), null).send());
                reads.add(app.get(ImageChecks.versioned(image, "small"), null).send());
              }
            }
            return Future.all(reads).map(all -> {
              ctx.verify(() -> {
                for (int i = 0; i < reads.size(); i++) {
                  HttpResponse<Buffer> r = all.resultAt(i);
                  JsonObject image = images.get(i / 2 % images.size());
                  String preset = i % 2 == 0 ? "medium" : "small";
                  assertThat(r.statusCode()).as("read %d", i).isEqualTo(200);
                  assertThat((long) r.bodyAsBuffer().length()).as("read %d", i)
                      .isEqualTo(image.getJsonObject("variants").getJsonObject(preset).getLong("bytes"));
                  if (preset.equals("medium")) {
                    assertThat(r.bodyAsBuffer()).as("read %d", i).isEqualTo(first.<HttpResponse<Buffer>>resultAt(i / 2 % images.size()).bodyAsBuffer());
                  }
                }
              });
              return null;
            });
          })
          .eventually(app::close)
          .onComplete(ctx.succeedingThenComplete());
    }));
  }
}
