package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two services deployed in one Vert.x instance (as tests, or an embedding application, do) must each
 * render uploads with their own imaging configuration: their own presets and codec.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class DeploymentIsolationTest {

  private static TestApp standard;
  private static TestApp thumbs;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject onlyThumb = new JsonObject().put("presets", new JsonObject()
        .put("thumb", new JsonObject().put("box", 100).put("quality", 80)));
    TestApp.start(vertx)
        .compose(a -> {
          standard = a;
          return TestApp.start(vertx, onlyThumb);
        })
        .onComplete(ctx.succeeding(b -> {
          thumbs = b;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    Future.all(standard.close(), thumbs.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("each of two services in one Vert.x renders its uploads with its own presets")
  void ownPresets(VertxTestContext ctx) {
    // four uploads, one at a time: as many as the two services have imaging workers together
    List<Path> files = Corpus.files("orientation").subList(0, 4);
    List<JsonObject> images = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Path file : files) {
      chain = chain.compose(v -> thumbs.upload(TestApp.ALICE, file).expecting(HttpResponseExpectation.SC_CREATED))
          .map(r -> {
            images.add(r.bodyAsJsonObject());
            return null;
          });
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      for (JsonObject image : images) {
        assertThat(image.getJsonObject("variants").fieldNames()).as("variants of %s", image.getString("id"))
            .containsExactly("thumb");
      }
      ctx.completeNow();
    })));
  }
}
