package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Storage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Problems;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits that protect the server's memory: images over {@code limits.maxPixels} are refused
 * (413), and uploads past {@code imaging.queue} are refused at once with 503 and Retry-After.
 * One imaging worker and a queue of one make the full queue reachable without racing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class LimitsTest {

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("limits", new JsonObject().put("maxPixels", 2_000_000))
      .put("imaging", new JsonObject().put("workers", 1).put("queue", 1)));


  @Test
  @DisplayName("an image over limits.maxPixels answers 413 too-many-pixels and leaves nothing; one under it is accepted")
  void tooManyPixels(Vertx vertx, VertxTestContext ctx) {
    long rows = app.get().stored().rows();
    // 1800x1200 = 2.16 MP against a limit of 2 MP; the progressive JPEG is 800x346
    app.get().upload(TestApp.ALICE, Corpus.file("orientation", "landscape_1.jpg"))
        .compose(refused -> app.get().stored().stagingDrained(vertx, 250).map(refused))
        .compose(refused -> app.get().upload(TestApp.ALICE, Corpus.file("formats", "progressive.jpg"))
            .expecting(HttpResponseExpectation.SC_CREATED).map(refused))
        .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
          assertThat(Problems.assertProblem(refused, 413).getString("type")).isEqualTo("urn:imgedge:error:too-many-pixels");
          assertThat(app.get().stored().rows()).as("only the accepted one").isEqualTo(rows + 1);
          assertThat(app.get().stored().blobFiles()).hasSize(Storage.BLOBS_PER_IMAGE * (int) app.get().stored().rows());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("with the queue full, another upload answers 503 with Retry-After at once; the admitted one completes")
  void fullQueue(Vertx vertx, VertxTestContext ctx) {
    long rows = app.get().stored().rows();
    // Hold the imaging pool's only thread, so the first upload stays admitted, waiting for a worker.
    WorkerExecutor imaging = vertx.createSharedWorkerExecutor("imaging", 1);
    CountDownLatch release = new CountDownLatch(1);
    Context here = vertx.getOrCreateContext();
    Promise<Void> held = Promise.promise();
    imaging.executeBlocking(() -> {
      here.runOnContext(v -> held.complete());
      return release.await(30, TimeUnit.SECONDS);
    });
    Future<HttpResponse<Buffer>>[] first = new Future[1];
    held.future()
        .compose(v -> {
          first[0] = app.get().upload(TestApp.ALICE, Corpus.file("formats", "sample.gif"));
          return queueDepth(vertx, 1, 250);
        })
        .compose(v -> app.get().upload(TestApp.BOB, Corpus.file("formats", "sample.png")))
        .compose(refused -> {
          release.countDown();
          return first[0].map(admitted -> new HttpResponse[] {refused, admitted});
        })
        .eventually(() -> {
          release.countDown();
          return imaging.close();
        })
        .compose(r -> app.get().stored().stagingDrained(vertx, 250).map(r))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked") HttpResponse<Buffer> refused = r[0];
          @SuppressWarnings("unchecked") HttpResponse<Buffer> admitted = r[1];
          assertThat(Problems.assertProblem(refused, 503).getString("type")).isEqualTo("urn:imgedge:error:overloaded");
          assertThat(refused.getHeader("Retry-After")).as("Retry-After in seconds").matches("[1-9][0-9]*");
          assertThat(admitted.statusCode()).as(admitted.bodyAsString()).isEqualTo(201);
          assertThat(app.get().stored().rows()).as("the refused upload left no row").isEqualTo(rows + 1);
          assertThat(app.get().stored().blobFiles()).hasSize(Storage.BLOBS_PER_IMAGE * (int) app.get().stored().rows());
          ctx.completeNow();
        })));
  }

  /** Waits (checking /metrics every 20 ms) until the upload queue gauge shows {@code depth}. */
  private static Future<Void> queueDepth(Vertx vertx, int depth, int attempts) {
    return app.get().get("/metrics", null).send().expecting(HttpResponseExpectation.SC_OK).compose(r -> {
      if (r.bodyAsString().lines().anyMatch(l -> l.matches("imgedge_upload_queue_depth(\\{[^}]*\\})? " + depth + "\\.0"))) {
        return Future.succeededFuture();
      }
      if (attempts <= 1) {
        return Future.failedFuture(new AssertionError("the queue never reached " + depth));
      }
      Promise<Void> next = Promise.promise();
      vertx.setTimer(20, t -> queueDepth(vertx, depth, attempts - 1).onComplete(next));
      return next.future();
    });
  }
}
