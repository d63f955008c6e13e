package org.imgedge.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.imgedge.problem.ProblemType;

/**
 * Requests whose framing cannot be trusted, answered as problem+json and then disconnected: what
 * Netty could not parse (a request line or headers too long, a malformed head), and transfer codings
 * other than a final {@code chunked}. After such a request the server cannot know where the next one
 * starts, so keeping the connection would let a front end and this server read different requests
 * from the same bytes (request smuggling, RFC 9112 6.1 and 6.3).
 */
final class Framing {

  /**
   * Connections refused once and closing: Vert.x may already have parsed the next pipelined request
   * from the same bytes, and it is dropped unanswered. One per HTTP verticle, so only its event loop
   * touches it; weak, so a closed connection is forgotten.
   */
  private final Set<HttpConnection> closing = Collections.newSetFromMap(new WeakHashMap<>());

  /** For {@code HttpServer.invalidRequestHandler}: Vert.x's default answers these with an empty body. */
  void answerInvalid(HttpServerRequest request) {
    if (closing.contains(request.connection())) {
      request.connection().close();
      return;
    }
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(request, ProblemType.URI_TOO_LONG, "The request line is longer than the server accepts.");
    } else if (cause instanceof StrictRequestDecoder.AmbiguousLength) {
      refuse(request, ProblemType.BAD_REQUEST, "A request may not carry both Content-Length and Transfer-Encoding.");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(request, ProblemType.HEADERS_TOO_LARGE, "The request headers are larger than the server accepts.");
    } else {
      refuse(request, ProblemType.BAD_REQUEST, "The request is not valid HTTP/1.1.");
    }
  }

  /**
   * Checked before anything reads the body: a request on a connection being closed is dropped, and
   * one whose framing is doubtful refused. A Transfer-Encoding whose last coding is not
   * {@code chunked} has no length the server can find (RFC 9112 6.3); one with codings before
   * {@code chunked} (gzip) would reach the upload still encoded. Both are refused.
   *
   * @return true when the request was refused
   */
  boolean refused(HttpServerRequest request) {
    if (closing.contains(request.connection())) {
      request.connection().close();
      return true;
    }
    String codings = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    if (codings == null || codings.trim().equalsIgnoreCase("chunked")) {
      return false;
    }
    refuse(request, ProblemType.BAD_REQUEST, "Transfer-Encoding must be exactly 'chunked'.");
    return true;
  }

  private void refuse(HttpServerRequest request, ProblemType type, String detail) {
    closing.add(request.connection());
    request.response().setStatusCode(type.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, ProblemFailureHandler.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(ProblemFailureHandler.body(type, detail).toBuffer())
        .onComplete(done -> request.connection().close());
  }
}
