package org.imgedge.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.imgedge.problem.ProblemType;

/**
 * The service's meters in one Prometheus registry: requests by route, method and status, errors by
 * problem type, time per upload stage and per storage call, cache hits and misses per tier, the
 * process (JVM, GC, threads, CPU, file descriptors) and, when the process was started with them,
 * Vert.x's own meters (pools, event bus, SQL and Redis clients).
 *
 * <p>Durations are histograms with a few explicit buckets at the boundaries an operator sets objectives
 * on, not summaries: quantiles can then be computed over any set of nodes
 * ({@code histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket[5m])))}), at the
 * cost of one series per bucket. Micrometer's own percentile histogram would add about 70.
 */
public final class Metrics {

  /** Requests: a cached variant takes about a millisecond, an upload of a large photo seconds. */
  private static final Duration[] REQUEST_BUCKETS = seconds(0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30);
  /** Upload stages: hashing and commits take milliseconds; decoding a 50 MP photo seconds; 60 s is the imaging timeout. */
  private static final Duration[] STAGE_BUCKETS = seconds(0.01, 0.05, 0.25, 1, 2.5, 10, 30, 60);
  /** Storage calls: a local file in under a millisecond, an S3 PUT of a photo in tens to hundreds. */
  private static final Duration[] STORAGE_BUCKETS = seconds(0.001, 0.01, 0.05, 0.25, 1, 5);

  /** The methods the request log labels (it labels any other token OTHER), in a fixed order for the meter table. */
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER");
  private static final int FIRST_STATUS = 100;
  private static final int STATUSES = 500; // 100..599

  private final PrometheusMeterRegistry registry;

  /**
   * The request timers, one table per route template, indexed by method and status. A tagged meter
   * costs a tag sort, an id and a registry lookup to find; at tens of thousands of cached reads a second
   * each is found once and then only recorded into, and finding it allocates nothing (no key object).
   * The key space is bounded: route templates (the route table's, plus "unmatched") x 10 x 500.
   */
  private final Map<String, AtomicReferenceArray<Timer>> requestTimers = new ConcurrentHashMap<>();
  private final Map<ProblemType, Counter> problems = new EnumMap<>(ProblemType.class);
  private final Map<String, Timer> stages = new ConcurrentHashMap<>();
  private final Map<String, Counter> cacheHits = new ConcurrentHashMap<>();
  private final Map<String, Counter> cacheMisses = new ConcurrentHashMap<>();
  private final Map<String, Timer> storageCalls = new ConcurrentHashMap<>();
  /**
   * What each function counter reads: Micrometer holds it weakly, and a lambda or method reference has
   * no other holder, so without this one a counter reads NaN after the next garbage collection.
   */
  private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    this(newRegistry());
  }

  /** Over a registry made first, so that Vert.x (built before the service) can register its meters into it too. */
  public Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    // Every problem type from the start: an alert on a rate needs the series to exist before the first error.
    for (ProblemType type : ProblemType.values()) {
      problems.put(type, Counter.builder("imgedge_http_problems")
          .description("Error answers by problem type (the type of the problem+json body)")
          .tag("type", type.slug()).tag("status", Integer.toString(type.status()))
          .register(registry));
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    FunctionCounter.builder("process.cpu", ManagementFactory.getOperatingSystemMXBean(), Metrics::cpuSeconds)
        .description("CPU time the process has used").baseUnit("seconds").register(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * A registry for Vert.x's metrics factory to share: the one /metrics scrapes. Its filters come first,
   * so that they apply to every meter, Vert.x's included.
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two of Micrometer's names that promtool's lint refuses: process_cpu_time_ns_total (a unit
    // abbreviated, and not seconds) is registered again in seconds (see the constructor), as process_cpu_seconds_total
    // that node exporters and dashboards know; system_cpu_count (a gauge named like a histogram's count)
    // becomes system_cpu_cores.
    registry.config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time") && "ns".equals(id.getBaseUnit())))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
          }
        });
    return registry;
  }

  /** The process's CPU time in seconds, or NaN where the JVM does not tell. */
  private static double cpuSeconds(OperatingSystemMXBean os) {
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
      long nanos = hotspot.getProcessCpuTime();
      return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
    return Double.NaN;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** @param method one of the request log's known methods, or "OTHER" */
  public void recordRequest(String method, String route, int status, long nanos) {
    int m = METHODS.indexOf(method);
    int s = status - FIRST_STATUS;
    if (m < 0 || s < 0 || s >= STATUSES) {
      return; // not a status an HTTP/1.1 response can carry
    }
    AtomicReferenceArray<Timer> table = requestTimers.get(route);
    if (table == null) {
      table = requestTimers.computeIfAbsent(route, r -> new AtomicReferenceArray<>(METHODS.size() * STATUSES));
    }
    int slot = m * STATUSES + s;
    Timer timer = table.get(slot);
    if (timer == null) {
      timer = Timer.builder("http_server_requests")
          .description("HTTP requests by route template, method and status")
          .tags("method", method, "route", route, "status", Integer.toString(status))
          .serviceLevelObjectives(REQUEST_BUCKETS)
          .register(registry); // the registry answers the same meter to a thread that raced this one
      table.set(slot, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One error answer, counted by its problem type. */
  public void problem(ProblemType type) {
    problems.get(type).increment();
  }

  /**
   * @param stage "inspect" (sniff and hash), "imaging" (decode and make the variants on an imaging
   *     worker), "store" (commit the blobs) or "catalog" (record the row)
   */
  public void recordStage(String stage, long nanos) {
    stages.computeIfAbsent(stage, s -> Timer.builder("imgedge_upload_stage")
            .description("Time per upload processing stage")
            .tag("stage", s)
            .serviceLevelObjectives(STAGE_BUCKETS)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * One call to the blob store (the S3 bucket or the file store), timed around the call.
   *
   * @param operation a {@code BlobStore} method name
   * @param outcome "ok" or "error"
   */
  public void recordStorage(String operation, String outcome, long nanos) {
    storageCalls.computeIfAbsent(operation + ' ' + outcome, k -> Timer.builder("imgedge_storage_calls")
            .description("Calls to the blob store (S3 or files) by operation and outcome")
            .tag("operation", operation).tag("outcome", outcome)
            .serviceLevelObjectives(STORAGE_BUCKETS)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** @param tier "memory", "redis" or "storage" */
  public void cacheHit(String tier) {
    cacheHits.computeIfAbsent(tier, t -> Counter.builder("imgedge_cache_hits")
        .description("Variant reads answered from this cache tier").tag("tier", t).register(registry)).increment();
  }

  public void cacheMiss(String tier) {
    cacheMisses.computeIfAbsent(tier, t -> Counter.builder("imgedge_cache_misses")
        .description("Variant reads this cache tier could not answer").tag("tier", t).register(registry)).increment();
  }

  /** A figure of this node. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A counter kept elsewhere, read at each scrape. */
  public void counter(String name, String description, Supplier<Number> total) {
    counted.add(total);
    FunctionCounter.builder(name, total, t -> t.get().doubleValue()).description(description).register(registry);
  }

  /** A gauge of this node with one tag, e.g. a count per status. */
  public void gauge(String name, String description, String tag, String value, Supplier<Number> reading) {
    Gauge.builder(name, reading).description(description).tag(tag, value).register(registry);
  }

  /**
   * A figure of the whole deployment, read from the shared database: every node reports the same
   * value, so it carries {@code scope="cluster"}, and dashboards take {@code max} over nodes, never
   * {@code sum} (see docs/operations.md).
   */
  public void clusterGauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description + " (the same on every node: aggregate with max, not sum)")
        .tag("scope", "cluster").register(registry);
  }

  /** {@link #clusterGauge(String, String, Supplier)} with one more tag. */
  public void clusterGauge(String name, String description, String tag, String value, Supplier<Number> reading) {
    Gauge.builder(name, reading).description(description + " (the same on every node: aggregate with max, not sum)")
        .tag("scope", "cluster").tag(tag, value).register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  private static Duration[] seconds(double... bounds) {
    Duration[] durations = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      durations[i] = Duration.ofNanos((long) (bounds[i] * 1e9));
    }
    return durations;
  }
}
