package org.imgedge.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Readiness: each dependency answers within a short time, or the service is not ready. */
public final class Health {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final Map<String, Supplier<Future<Void>>> checks = new LinkedHashMap<>();

  /** @param check succeeds when the named dependency answers */
  public Health add(String name, Supplier<Future<Void>> check) {
    checks.put(name, check);
    return this;
  }

  /** @return every check's outcome, {@code "up"} or {@code "down: <reason>"}; never fails */
  public Future<JsonObject> check() {
    List<String> names = List.copyOf(checks.keySet());
    List<Future<Void>> runs = names.stream()
        .map(n -> checks.get(n).get().timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .toList();
    return Future.join(runs).otherwiseEmpty().map(v -> {
      JsonObject result = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        Future<Void> f = runs.get(i);
        result.put(names.get(i), f.succeeded() ? "up" : "down: " + f.cause().getClass().getSimpleName());
      }
      return result;
    });
  }
}
