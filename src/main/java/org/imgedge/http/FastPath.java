package org.imgedge.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * Answers the busiest requests before the router sees them (see {@code VariantsApi}): the router's
 * per-request context costs more than a cached variant's answer itself.
 */
public interface FastPath {

  /** @return true if the request was answered, false to pass it on to the router */
  boolean answer(HttpServerRequest request, RequestLog log);
}
