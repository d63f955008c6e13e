package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks again, a pause apart, until an answer is as wanted: for what a service reaches in its own time
 * (a regeneration, another node's pub/sub), which a test can only watch for, not wait on.
 */
public final class Poll {

  private Poll() {}

  /**
   * Blocks until {@code done} holds for what {@code look} sees, asking every {@code every} for at most
   * {@code within}.
   *
   * @return the first answer {@code done} accepted
   * @throws AssertionError with {@code failure} of the last answer, once {@code within} has passed
   */
  public static <T> T until(Supplier<T> look, Predicate<T> done, Duration every, Duration within,
      Function<T, String> failure) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = look.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(every.toMillis()); // a poll interval, not a timing assumption
    }
    throw new AssertionError(failure.apply(last));
  }

  /**
   * The same without blocking, for an event loop: the condition's answers come as futures and the
   * pause is a timer.
   *
   * @return a future that succeeds once the condition answered true, or fails with {@code failure} once
   *     {@code within} has passed
   */
  public static Future<Void> until(Vertx vertx, Supplier<Future<Boolean>> condition, Duration every, Duration within,
      String failure) {
    return until(vertx, condition, every.toMillis(), System.nanoTime() + within.toNanos(), failure);
  }

  private static Future<Void> until(Vertx vertx, Supplier<Future<Boolean>> condition, long everyMillis, long deadline,
      String failure) {
    return condition.get().compose(ok -> {
      if (ok) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(everyMillis).compose(t -> until(vertx, condition, everyMillis, deadline, failure));
    });
  }
}
