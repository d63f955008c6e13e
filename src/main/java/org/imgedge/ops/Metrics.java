package org.imgedge.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The service's meters in one Prometheus registry: requests by route and status, time per
 * processing stage, cache hits and misses per tier, and the upload queue depth.
 */
public final class Metrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public void recordRequest(String method, String route, int status, long nanos) {
    Timer.builder("http_server_requests")
        .description("HTTP requests by route template and status")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram(false)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** @param stage e.g. "hash", "imaging", "store", "catalog" */
  public void recordStage(String stage, long nanos) {
    Timer.builder("imgedge_stage").description("Time per upload processing stage")
        .tag("stage", stage).register(registry).record(Duration.ofNanos(nanos));
  }

  /** @param tier "memory", "redis" or "storage" */
  public void cacheHit(String tier) {
    Counter.builder("imgedge_cache_hits").tag("tier", tier).register(registry).increment();
  }

  public void cacheMiss(String tier) {
    Counter.builder("imgedge_cache_misses").tag("tier", tier).register(registry).increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A gauge with one tag, e.g. a count per status. */
  public void gauge(String name, String description, String tag, String value, Supplier<Number> reading) {
    Gauge.builder(name, reading).description(description).tag(tag, value).register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
