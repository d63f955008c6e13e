package org.imgedge.auth;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs the next step of a route after a check that may wait (a JWKS fetch, a Redis call). The request is
 * paused meanwhile: its body must not flow before the handler that reads it is in place, and a refused
 * upload must not be read at all. A check that is already complete (an API key) goes on at once.
 */
public final class Paused {

  private Paused() {}

  public static <T> void until(RoutingContext ctx, Future<T> check, Handler<T> next) {
    if (check.isComplete()) {
      proceed(ctx, check, next);
      return;
    }
    HttpServerRequest request = ctx.request();
    boolean pause = !request.isEnded();
    if (pause) {
      request.pause();
    }
    check.onComplete(ar -> {
      if (pause) {
        // resumed before the next handler runs; the buffered chunks are delivered on a later turn, to it
        request.resume();
      }
      proceed(ctx, check, next);
    });
  }

  private static <T> void proceed(RoutingContext ctx, Future<T> check, Handler<T> next) {
    if (check.succeeded()) {
      next.handle(check.result());
    } else {
      ctx.fail(check.cause());
    }
  }
}
