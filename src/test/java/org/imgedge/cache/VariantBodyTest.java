package org.imgedge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.testing.Corpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How cached variant bytes reach a client, from a file or from memory, over a real HTTP connection. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 1, timeUnit = TimeUnit.MINUTES)
class VariantBodyTest {

  /** A real photo (1.3 MB), far over the size from which bodies go to files. */
  private static final Buffer PHOTO = Buffer.buffer(Corpus.bytes(Corpus.file("photos", "nokia-lumia-800.jpg")));

  @TempDir
  Path dir;

  @Test
  @DisplayName("a large body sent from its file arrives whole; the file stays unnamed on disk")
  void largeBodyFromFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    VariantBody body = new VariantBody.Maker(dir, 64 * 1024).make(PHOTO, VariantFormat.JPEG);
    assertThat(body.length()).isEqualTo(PHOTO.length());
    try (var names = Files.list(dir)) {
      assertThat(names).as("the file is unlinked once open").isEmpty();
    }
    serveAndGet(vertx, (response, context) -> body.writeTo(response))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.bodyAsBuffer()).isEqualTo(PHOTO);
          assertThat(body.isOpen()).as("the cache still holds it").isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a body the cache drops while it is being sent still arrives whole, and its file closes after")
  void droppedWhileSending(Vertx vertx, VertxTestContext ctx) {
    VariantBody body = new VariantBody.Maker(dir, 64 * 1024).make(PHOTO, VariantFormat.JPEG);
    Context[] server = new Context[1];
    serveAndGet(vertx, (response, context) -> {
      server[0] = context;
      body.writeTo(response);
      body.release(); // the cache evicts it the moment after
    }).onComplete(ctx.succeeding(r -> {
      ctx.verify(() -> assertThat(r.bodyAsBuffer()).isEqualTo(PHOTO));
      // after whatever the server's event loop is doing, which includes finishing that response
      server[0].runOnContext(v -> ctx.verify(() -> {
        assertThat(body.isOpen()).as("closed with its last response").isFalse();
        ctx.completeNow();
      }));
    }));
  }

  @Test
  @DisplayName("with no usable folder for files, large bodies are kept and served from memory")
  void noFolderFallsBackToMemory(Vertx vertx, VertxTestContext ctx) {
    VariantBody body = new VariantBody.Maker(dir.resolve("missing"), 64 * 1024).make(PHOTO, VariantFormat.JPEG);
    serveAndGet(vertx, (response, context) -> body.writeTo(response))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.bodyAsBuffer()).isEqualTo(PHOTO);
          ctx.completeNow();
        })));
  }

  /** Starts a server whose one request is answered by {@code answer}, makes that request, and stops it. */
  private static Future<HttpResponse<Buffer>> serveAndGet(Vertx vertx, BiConsumer<HttpServerResponse, Context> answer) {
    WebClient client = WebClient.create(vertx);
    return vertx.createHttpServer()
        .requestHandler(request -> answer.accept(request.response(), Vertx.currentContext()))
        .listen(0)
        .compose(server -> client.get(server.actualPort(), "localhost", "/").send()
            .eventually(() -> server.close())
            .eventually(() -> {
              client.close();
              return Future.succeededFuture();
            }));
  }
}
