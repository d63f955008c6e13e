package org.imgedge.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/**
 * Lets the scripts of the configured web origins call the API and read variants ({@code http.cors.origins}),
 * with vertx-web's {@link CorsHandler} answering preflights. A request from another origin is served as if it
 * had no {@code Origin}: without CORS headers, so the browser keeps the answer from the page; servers and apps,
 * which send no {@code Origin}, see no difference either way.
 *
 * <p>{@code "*"} is safe here because nothing rides on ambient credentials: the API takes only a bearer key or
 * token that the page must hold itself, and credentials mode is never allowed, so another site's script cannot
 * act as a user whose browser merely visited it.
 */
final class Cors implements Handler<RoutingContext> {

  private static final Set<String> ALLOWED_HEADERS = Set.of("Authorization", "Content-Type", "If-None-Match", "X-Request-ID",
      // tus requests (resumable uploads)
      "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum");
  private static final Set<String> EXPOSED_HEADERS = Set.of("ETag", "Location", "Retry-After", "X-Request-ID",
      // tus answers, and the image a completed resumable upload became
      "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Upload-Offset",
      "Upload-Length", "Upload-Metadata", "Upload-Expires", "Image-Id", "Image-Location");
  /** How long a browser may reuse a preflight's answer, in seconds. */
  private static final int PREFLIGHT_MAX_AGE = 600;

  private final Set<String> origins;
  private final boolean any;
  private final CorsHandler handler;

  private Cors(List<String> origins) {
    this.origins = Set.copyOf(origins);
    this.any = origins.contains("*");
    this.handler = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.PATCH))
        .allowedHeaders(ALLOWED_HEADERS)
        .exposedHeaders(EXPOSED_HEADERS)
        .allowCredentials(false)
        .maxAgeSeconds(PREFLIGHT_MAX_AGE);
    if (!any) {
      this.handler.addOrigins(origins);
    }
  }

  /** @return null when {@code origins} is empty: then no route gets CORS headers */
  static Cors of(List<String> origins) {
    return origins.isEmpty() ? null : new Cors(origins);
  }

  /** Whether the request comes from a browser page of an allowed origin (then it needs CORS headers). */
  boolean applies(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    // with "*", only a well-formed origin: vertx-web refuses "null" (sandboxed pages, files) with 403
    return origin != null && (any ? HttpConfig.ORIGIN.matcher(origin).matches() : origins.contains(origin));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (applies(ctx.request())) {
      handler.handle(ctx);
    } else {
      ctx.next();
    }
  }
}
