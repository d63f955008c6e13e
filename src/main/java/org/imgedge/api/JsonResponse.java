package org.imgedge.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every API handler answers with JSON: per-user data that no cache may keep. */
final class JsonResponse {

  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private JsonResponse() {}

  static void send(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }
}
