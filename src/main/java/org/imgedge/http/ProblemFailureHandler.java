package org.imgedge.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into an {@code application/problem+json} answer. Features fail
 * with {@link AppException}; vertx-web fails with a status (413 from the body limit, 404 and 405
 * from routing); a dependency failure ({@link Failures}: database down, disk full) is answered 503 or 507
 * with Retry-After; anything else is a bug, logged with its stack and answered 500 with a generic detail.
 */
final class ProblemFailureHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ProblemFailureHandler.class);
  public static final String CONTENT_TYPE = "application/problem+json";
  /** Context key of a 405's Allow header value: the methods the resource accepts. */
  static final String ALLOW = "imgedge.allow";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    Throwable failure = ctx.failure();
    ProblemType type;
    String detail;
    Integer retryAfter = null;
    AppException known = failure == null || failure instanceof AppException ? null : Failures.classify(failure);
    if (known != null) {
      // a dependency failure (database down, disk full) that no feature turned into a problem itself
      log.warn("request {}: {} ({})", RequestLog.id(ctx), known.getMessage(), failure.toString());
      failure = known;
    }
    if (failure instanceof AppException e) {
      type = e.type();
      detail = e.getMessage();
      retryAfter = e.retryAfterSeconds();
      if (type == ProblemType.INTERNAL) {
        log.error("request {} failed: {}", RequestLog.id(ctx), detail, e.getCause() != null ? e.getCause() : e);
      } else if (type.status() >= 500 && known == null) {
        // overload or a dependency down: expected under stress, and the access log already counts it
        log.warn("request {}: {}", RequestLog.id(ctx), detail);
      }
    } else if (failure instanceof HttpException e) {
      type = ProblemType.forStatus(e.getStatusCode());
      detail = detailFor(type);
    } else if (failure == null) {
      type = ProblemType.forStatus(ctx.statusCode() > 0 ? ctx.statusCode() : 500);
      detail = detailFor(type);
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // vertx-web's own client errors with their cause, e.g. BodyHandler's 400 for a multipart parse error
      type = ProblemType.forStatus(ctx.statusCode());
      detail = detailFor(type);
    } else {
      type = ProblemType.INTERNAL;
      detail = "The request could not be completed; it has been logged as " + RequestLog.id(ctx) + ".";
      log.error("request {} failed", RequestLog.id(ctx), failure);
    }
    if (response.headWritten()) {
      // A body was already streaming: the only honest signal left is to cut the connection.
      response.reset();
      return;
    }
    send(ctx, type, detail, retryAfter);
  }

  /** Also used for routes that do not exist (the router's 404 and 405 error handlers). */
  public static void send(RoutingContext ctx, ProblemType type, String detail, Integer retryAfterSeconds) {
    HttpServerResponse response = ctx.response();
    RequestLog.problem(ctx, type);
    // what a handler set is dropped, but not the CORS headers: a page must be able to read the error too
    MultiMap cors = MultiMap.caseInsensitiveMultiMap();
    response.headers().forEach(h -> {
      // and tus's protocol headers (Tus-Resumable, Tus-Version): a tus client reads them on errors too
      // and what the feature asked to keep, e.g. a tus creation's Location, so the client can resume the upload
      if (h.getKey().regionMatches(true, 0, "Access-Control-", 0, 15) || h.getKey().equalsIgnoreCase("Vary")
          || h.getKey().regionMatches(true, 0, "Tus-", 0, 4) || Routing.keptOnProblem(ctx, h.getKey())) {
        cors.add(h.getKey(), h.getValue());
      }
    });
    response.headers().clear().addAll(cors);
    response.setStatusCode(type.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpVerticle.NOSNIFF, HttpVerticle.NOSNIFF_VALUE);
    if (type == ProblemType.CHECKSUM_MISMATCH) {
      // 460 is no registered status (Netty calls it "Client Error (460)"): give it the tus protocol's own phrase
      response.setStatusMessage(type.title());
    }
    RequestLog.echoId(ctx);
    if (retryAfterSeconds != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    }
    if (type == ProblemType.UNAUTHORIZED) {
      // no credential, or an unknown key: RFC 6750 §3.1 gives no error code when none was usable
      response.putHeader("WWW-Authenticate", "Bearer");
    } else if (type == ProblemType.INVALID_TOKEN) {
      response.putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    if (type == ProblemType.METHOD_NOT_ALLOWED && ctx.get(ALLOW) != null) {
      response.putHeader(HttpHeaders.ALLOW, ctx.<String>get(ALLOW));
    }
    JsonObject body = body(type, detail).put("requestId", RequestLog.id(ctx));
    if (ctx.request().isEnded() || (ctx.request().version() != HttpVersion.HTTP_2 && !DeclaredBody.present(ctx.request()))) {
      // nothing of the request is left unread (a GET's end may simply not have been seen yet): keep the connection
      response.end(body.toBuffer());
    } else {
      // The rest of the body was not read (e.g. over the size limit): do not keep a half-read connection.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      RefusedBodyClose.after(ctx, response.end(body.toBuffer()));
    }
  }

  /**
   * A whole HTTP/1.1 answer, to write below Vert.x's encoder when there is no request to answer through
   * (a connection refused or cut before or in the middle of one), and to follow with closing the connection.
   *
   * @param retryAfterSeconds 0 for none
   */
  static byte[] closingAnswer(ProblemType type, String detail, int retryAfterSeconds) {
    byte[] body = body(type, detail).toBuffer().getBytes();
    String head = "HTTP/1.1 " + type.status() + " " + HttpResponseStatus.valueOf(type.status()).reasonPhrase() + "\r\n"
        + "Content-Type: " + CONTENT_TYPE + "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        + (retryAfterSeconds > 0 ? "Retry-After: " + retryAfterSeconds + "\r\n" : "")
        + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
    return Buffer.buffer(head).appendBytes(body).getBytes();
  }

  /** The RFC 9457 members every problem answer has. */
  static JsonObject body(ProblemType type, String detail) {
    return new JsonObject().put("type", type.uri()).put("title", type.title()).put("status", type.status()).put("detail", detail);
  }

  private static String detailFor(ProblemType type) {
    return switch (type) {
      case NOT_FOUND -> "No such resource.";
      case METHOD_NOT_ALLOWED -> "This resource does not accept that method.";
      case PAYLOAD_TOO_LARGE -> "The request body is larger than the configured upload limit.";
      case BAD_REQUEST -> "The request is malformed.";
      case UNSUPPORTED_FORMAT -> "The content type is not supported here.";
      default -> type.title() + ".";
    };
  }
}
