package org.imgedge.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.TestApp;

/**
 * How many jobs a second the queue hands out: uploads {@code images} small PNGs, then runs
 * {@code workers} concurrent claim-then-complete loops over HTTP until the queue answers 204, and
 * prints completed jobs per second. PostgreSQL (with Redis and S3Proxy, as in production) unless
 * {@code -Dimgedge.backend=embedded}. Not a test: run it by hand, see the README for the command.
 *
 * <p>Arguments: {@code [images=2000] [workers=8]}.
 */
public final class ClaimThroughput {

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Backend backend = "embedded".equals(System.getProperty("imgedge.backend")) ? Backend.embedded() : Backend.production();
    Vertx vertx = Vertx.vertx();
    long[] started = new long[1];
    TestApp.start(vertx, new JsonObject().put("http", new JsonObject().put("instances", 2)), backend)
        .compose(app -> GeneratedImages.upload(app, TestApp.ALICE, 0, images, 4)
            .compose(ids -> {
              System.out.printf("uploaded %d images; %d workers claiming%n", ids.size(), workers);
              started[0] = System.nanoTime();
              List<Future<Integer>> loops = new ArrayList<>();
              for (int w = 0; w < workers; w++) {
                loops.add(work(app, 0));
              }
              return Future.all(loops);
            })
            .map(all -> {
              double seconds = (System.nanoTime() - started[0]) / 1e9;
              int done = all.<Integer>list().stream().mapToInt(Integer::intValue).sum();
              System.out.printf("%s: %d jobs claimed and completed in %.2f s by %d workers: %.0f jobs/s (%.0f requests/s)%n",
                  backend.isProduction() ? "PostgreSQL" : "SQLite", done, seconds, workers, done / seconds, 2 * done / seconds);
              return done;
            })
            .eventually(app::close))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    // closed outside the chain: a future completed by Vert.x cannot outlive its event loops
    vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    backend.close();
    System.exit(0); // S3Proxy, started by the backend, is a child process that ends with this JVM
  }

  private static Future<Integer> work(TestApp app, int done) {
    return app.request(HttpMethod.POST, "/v1/jobs/claim", TestApp.WORKER).sendJsonObject(new JsonObject().put("leaseSeconds", 60))
        .compose(r -> {
          if (r.statusCode() == 204) {
            return Future.succeededFuture(done);
          }
          String jobId = r.bodyAsJsonObject().getString("jobId");
          return app.request(HttpMethod.POST, "/v1/jobs/" + jobId + "/complete", TestApp.WORKER)
              .sendJsonObject(new JsonObject().put("result", new JsonObject().put("labels", List.of("bench"))))
              .expecting(HttpResponseExpectation.SC_NO_CONTENT)
              .compose(v -> work(app, done + 1));
        });
  }
}
