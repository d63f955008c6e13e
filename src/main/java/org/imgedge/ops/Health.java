package org.imgedge.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Readiness: each required dependency answers within a short time, or the service is not ready. An
 * optional one (the Redis cache) that does not answer makes the service "degraded" but still ready,
 * because it keeps serving correctly without it; taking every node out of the load balancer over a
 * cache outage would turn it into a real one.
 */
public final class Health {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Map<String, Supplier<Future<Void>>> checks = new LinkedHashMap<>();
  private final Map<String, Boolean> required = new LinkedHashMap<>();

  /** @param check succeeds when the named dependency answers */
  public Health require(String name, Supplier<Future<Void>> check) {
    checks.put(name, check);
    required.put(name, true);
    return this;
  }

  /** @param check succeeds when the named dependency answers; its failure only degrades the service */
  public Health optional(String name, Supplier<Future<Void>> check) {
    checks.put(name, check);
    required.put(name, false);
    return this;
  }

  /**
   * @return every check's outcome: {@code "up"}, {@code "down: <reason>"} for a required dependency or
   *     {@code "degraded: <reason>"} for an optional one; never fails
   */
  public Future<JsonObject> check() {
    List<String> names = List.copyOf(checks.keySet());
    List<Future<Void>> runs = names.stream()
        .map(n -> checks.get(n).get().timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .toList();
    return Future.join(runs).otherwiseEmpty().map(v -> {
      JsonObject result = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        Future<Void> f = runs.get(i);
        String failed = required.get(names.get(i)) ? "down: " : "degraded: ";
        result.put(names.get(i), f.succeeded() ? "up" : failed + reason(f.cause()));
      }
      return result;
    });
  }

  /** Public words only: the exception's class or message would show clients the service's internals. */
  private static String reason(Throwable cause) {
    return cause instanceof java.util.concurrent.TimeoutException
        ? "no answer within " + TIMEOUT.toSeconds() + " s" : "not answering";
  }
}
