package org.imgedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh install with no {@code auth.keys} makes its own keys, readable by the service's user only. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 1, timeUnit = TimeUnit.MINUTES)
class GeneratedKeysTest {

  private TestApp app;

  @Test
  @DisplayName("first start without auth.keys writes <storage>/keys.json (rw-------) with an admin and a client key that work")
  void keysAreGenerated(Vertx vertx, VertxTestContext ctx) throws Exception {
    JsonObject noKeys = new JsonObject().put("auth", new JsonObject().put("keys", new JsonArray()));
    String[] client = new String[1];
    String[] admin = new String[1];
    TestApp.start(vertx, noKeys)
        .compose(a -> {
          app = a;
          Path file = app.storage().resolve("keys.json");
          ctx.verify(() -> {
            assertThat(file).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            JsonArray keys = new JsonObject(Files.readString(file)).getJsonArray("keys");
            for (Object o : keys) {
              JsonObject k = (JsonObject) o;
              assertThat(k.getString("key")).as("a long random key").hasSizeGreaterThanOrEqualTo(32);
              if ("admin".equals(k.getString("role"))) {
                admin[0] = k.getString("key");
              } else if ("client".equals(k.getString("role"))) {
                client[0] = k.getString("key");
              }
            }
            assertThat(admin[0]).as("an admin key").isNotNull();
            assertThat(client[0]).as("a client key").isNotNull().isNotEqualTo(admin[0]);
          });
          // the fixed test keys are not configured here
          return app.get("/v1/images", TestApp.ALICE).send().expecting(HttpResponseExpectation.SC_UNAUTHORIZED);
        })
        .compose(v -> app.upload(client[0], Corpus.file("formats", "sample.gif")).expecting(HttpResponseExpectation.SC_CREATED))
        .compose(created -> app.get("/v1/images", admin[0]).send().expecting(HttpResponseExpectation.SC_OK)
            .map(list -> List.of(created, list)))
        .compose(r -> app.request(HttpMethod.GET, r.get(0).getHeader("Location") + "/original", admin[0]).send()
            .expecting(HttpResponseExpectation.SC_OK).map(original -> r))
        .eventually(() -> app == null ? io.vertx.core.Future.succeededFuture() : app.close())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          HttpResponse<Buffer> created = r.get(0);
          HttpResponse<Buffer> list = r.get(1);
          assertThat(list.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("id"))
              .isEqualTo(created.bodyAsJsonObject().getString("id"));
          ctx.completeNow();
        })));
  }
}
