package org.imgedge.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Closes the connection of a request answered before its body was read (over the limit, malformed,
 * unauthorised), so that it does not sit open until the idle timeout. Not at once: closing a socket
 * with unread bytes sends a reset, which can destroy the answer before the client has read it. So the
 * rest of the body is read and dropped, and the connection closes when the body ends, when the client
 * closes, or after {@link #LINGER_MILLIS} of a client that keeps sending, whichever comes first.
 */
final class RefusedBodyClose {

  /** Long enough for a client to read a small answer; short enough that a client cannot pin a connection. */
  static final long LINGER_MILLIS = 2_000;

  private RefusedBodyClose() {}

  /** Call before the answer is written, while the body has not ended; {@code written} is the answer's end(). */
  static void after(RoutingContext ctx, Future<Void> written) {
    HttpServerRequest request = ctx.request();
    if (request.version() == HttpVersion.HTTP_2) {
      // one stream among others: closing the connection would cut them too, and HTTP/2 resets the stream itself
      return;
    }
    // fails when the client goes first: then there is nothing left to wait for either
    Future<Void> bodyEnded = request.end();
    request.resume();
    written.onComplete(w -> {
      long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
      bodyEnded.onComplete(e -> {
        ctx.vertx().cancelTimer(timer);
        request.connection().close();
      });
    });
  }
}
