package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Steady traffic against a running app while a test breaks something under it: upload lanes sending
 * distinct generated images and read lanes fetching known variant URLs, each request answered before
 * the lane sends its next. Every answer is recorded with its start and end time, so a test can ask
 * what the requests started after some moment got.
 */
public final class Traffic {

  /** One answered request; {@code status} -1 when the connection failed without an answer. */
  public record Outcome(boolean upload, long startNanos, long endNanos, int status, String contentType, String retryAfter,
      String body) {
    public double seconds() {
      return (endNanos - startNanos) / 1e9;
    }
  }

  private final Vertx vertx;
  private final TestApp app;
  private final List<String> readUrls;
  private final AtomicInteger nextImage;
  private final long pauseMillis;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<Future<Void>> lanes = new ArrayList<>();
  private volatile boolean running = true;

  private Traffic(Vertx vertx, TestApp app, List<String> readUrls, int firstImage, long pauseMillis) {
    this.vertx = vertx;
    this.app = app;
    this.readUrls = readUrls;
    this.nextImage = new AtomicInteger(firstImage);
    this.pauseMillis = pauseMillis;
  }

  /**
   * @param firstImage  index of the first generated image; give each run its own range so every upload is new
   * @param pauseMillis pause between a lane's requests, which keeps the traffic light on a shared machine
   */
  public static Traffic start(Vertx vertx, TestApp app, int uploadLanes, List<String> readUrls, int readLanes, int firstImage,
      long pauseMillis) {
    Traffic t = new Traffic(vertx, app, readUrls, firstImage, pauseMillis);
    for (int i = 0; i < uploadLanes; i++) {
      t.lanes.add(t.lane(true, i));
    }
    for (int i = 0; i < readLanes; i++) {
      t.lanes.add(t.lane(false, i));
    }
    return t;
  }

  /** Lets every lane finish its request in flight, then returns what was recorded. */
  public List<Outcome> stop(Duration within) throws Exception {
    running = false;
    Future.join(lanes).toCompletionStage().toCompletableFuture().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return snapshot();
  }

  public synchronized List<Outcome> snapshot() {
    return List.copyOf(outcomes);
  }

  /**
   * Blocks until the recorded outcomes satisfy {@code condition} (re-checked as each arrives).
   *
   * @throws AssertionError naming {@code what} when it does not happen within {@code within}
   */
  public synchronized List<Outcome> await(String what, Predicate<List<Outcome>> condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.test(outcomes)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(outcomes);
  }

  private Future<Void> lane(boolean upload, int lane) {
    Promise<Void> done = Promise.promise();
    next(upload, lane, done);
    return done.future();
  }

  private void next(boolean upload, int lane, Promise<Void> done) {
    if (!running) {
      done.complete();
      return;
    }
    long start = System.nanoTime();
    Future<HttpResponse<Buffer>> request = upload
        ? app.uploadRaw(TestApp.ALICE, GeneratedImages.png(nextImage.getAndIncrement()), "image/png")
        : app.get(readUrls.get((int) ((start / 1000 + lane) % readUrls.size())), null).send();
    request.onComplete(r -> {
      long end = System.nanoTime();
      HttpResponse<Buffer> response = r.succeeded() ? r.result() : null;
      record(new Outcome(upload, start, end, response == null ? -1 : response.statusCode(),
          response == null ? null : response.getHeader("Content-Type"),
          response == null ? null : response.getHeader("Retry-After"),
          response == null ? String.valueOf(r.cause()) : upload ? response.bodyAsString() : ""));
      vertx.setTimer(pauseMillis, t -> next(upload, lane, done));
    });
  }

  private synchronized void record(Outcome outcome) {
    outcomes.add(outcome);
    notifyAll();
  }
}
