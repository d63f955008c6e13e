package org.imgedge.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's meters in one Prometheus registry: requests by route and status, time per
 * processing stage, cache hits and misses per tier, and the upload queue depth.
 */
public final class Metrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * The request timers by their tags. Building and registering a meter costs a tag sort, an id and a
   * registry lookup under a lock; at tens of thousands of requests a second each is looked up here once
   * and then only recorded into. The key space is small: route templates x methods x statuses.
   */
  private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> cacheHits = new ConcurrentHashMap<>();
  private final Map<String, Counter> cacheMisses = new ConcurrentHashMap<>();
  /**
   * What each function counter reads: Micrometer holds it weakly, and a lambda or method reference has
   * no other holder, so without this one a counter reads NaN after the next garbage collection.
   */
  private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();

  private record RequestKey(String method, String route, int status) {}

  public void recordRequest(String method, String route, int status, long nanos) {
    requestTimers.computeIfAbsent(new RequestKey(method, route, status), k -> Timer.builder("http_server_requests")
            .description("HTTP requests by route template and status")
            .tags("method", k.method(), "route", k.route(), "status", Integer.toString(k.status()))
            .publishPercentileHistogram(false)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param stage "inspect" (sniff and hash), "imaging" (decode and encode the variants) or "store" (commit the blobs, record the row) */
  public void recordStage(String stage, long nanos) {
    Timer.builder("imgedge_stage").description("Time per upload processing stage")
        .tag("stage", stage).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param tier "memory", "redis" or "storage" */
  public void cacheHit(String tier) {
    cacheHits.computeIfAbsent(tier, t -> Counter.builder("imgedge_cache_hits").tag("tier", t).register(registry)).increment();
  }

  public void cacheMiss(String tier) {
    cacheMisses.computeIfAbsent(tier, t -> Counter.builder("imgedge_cache_misses").tag("tier", t).register(registry)).increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A counter kept elsewhere, read at each scrape. */
  public void counter(String name, String description, Supplier<Number> total) {
    counted.add(total);
    FunctionCounter.builder(name, total, t -> t.get().doubleValue()).description(description).register(registry);
  }

  /** A gauge with one tag, e.g. a count per status. */
  public void gauge(String name, String description, String tag, String value, Supplier<Number> reading) {
    Gauge.builder(name, reading).description(description).tag(tag, value).register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
