package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/**
 * Cuts off a request whose body arrives slower than a minimum rate, so slow (or malicious) clients
 * cannot hold connections and staging files for ever. The rate is averaged over a window, and the
 * first check waits one window, so a short stall on a mobile link costs nothing: a photo sent at a
 * steady 750 kbit/s (94 KB/s) passes easily, a body trickling at 1 KB/s is answered 408 and its
 * connection closed. A total time limit would do the opposite: cut the large photo on the slow link.
 */
final class BodyRateGuard implements Handler<RoutingContext> {

  private static final long CHECK_MILLIS = 1000;
  private final long minBytesPerSecond;
  private final int windowSeconds;

  /** @param minBytesPerSecond 0 turns the guard off */
  BodyRateGuard(long minBytesPerSecond, int windowSeconds) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.windowSeconds = windowSeconds;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (minBytesPerSecond > 0 && !request.isEnded() && DeclaredBody.present(request)) {
      // bytes read at each of the last windowSeconds + 1 checks; slot i % length is check i
      long[] seen = new long[windowSeconds + 1];
      int[] checks = {0};
      long timer = ctx.vertx().setPeriodic(CHECK_MILLIS, id -> {
        if (request.isEnded() || ctx.response().ended()) {
          ctx.vertx().cancelTimer(id);
          return;
        }
        int n = ++checks[0];
        long now = request.bytesRead();
        seen[n % seen.length] = now;
        if (n >= windowSeconds && (now - seen[(n - windowSeconds) % seen.length]) < minBytesPerSecond * windowSeconds) {
          ctx.vertx().cancelTimer(id);
          cut(ctx);
        }
      });
      ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }

  private void cut(RoutingContext ctx) {
    // the rest of the body will not be read: once the answer is out (or at once, if one is under way) the connection goes
    ctx.addEndHandler(done -> ctx.request().connection().close());
    if (ctx.response().headWritten()) {
      ctx.request().connection().close();
      return;
    }
    ctx.fail(AppException.of(ProblemType.REQUEST_TIMEOUT, "The body arrived slower than " + minBytesPerSecond
        + " bytes per second over " + windowSeconds + " s; the connection is closed."));
  }
}
