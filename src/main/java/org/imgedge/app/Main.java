package org.imgedge.app;

import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.imgedge.config.ConfigLoader;
import org.imgedge.config.Json;
import org.imgedge.logging.LogFormat;
import org.imgedge.logging.LoggingConfig;
import org.imgedge.ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar imgedge.jar [-conf FILE]}: loads the configuration (defaults, then FILE or
 * {@code VERTX_CONFIG_PATH}, then {@code IMGEDGE_*} variables) and starts the service. A start that
 * fails prints one line that says why and exits with status 1.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    String file = System.getenv("VERTX_CONFIG_PATH");
    for (int i = 0; i < args.length; i++) {
      if (("-conf".equals(args[i]) || "--conf".equals(args[i])) && i + 1 < args.length) {
        file = args[++i];
      } else {
        System.err.println("usage: java -jar imgedge.jar [-conf FILE]");
        System.exit(2);
      }
    }
    // Vert.x's classpath file cache is deleted by a JVM shutdown hook of its own, which runs beside ours:
    // with it, file operations of uploads still draining after SIGTERM would fail. Nothing here is
    // served from the classpath, so the resolution (and its cache) is off.
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setPreferNativeTransport(true)
            .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false))
            .setMetricsOptions(vertxMetrics()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    MainVerticle service = new MainVerticle(new Metrics(registry));
    AtomicBoolean started = new AtomicBoolean();
    ConfigLoader.load(vertx, file, System.getenv())
        .compose(config -> useLogFormat(config).compose(v -> vertx.deployVerticle(service, new DeploymentOptions().setConfig(config))))
        .onSuccess(id -> started.set(true))
        .onFailure(e -> {
          System.err.println("imgedge: cannot start: " + e.getMessage());
          vertx.close().onComplete(v -> System.exit(1));
        });
    // On SIGTERM: drain the requests under way first, while everything they need still runs, then
    // undeploy (the database pool, Redis and storage clients close) and let the JVM exit. The log is
    // flushed last, here rather than by a hook of logback's own, which would race this one.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (started.get()) {
        service.drain().transform(drained -> vertx.close()).toCompletionStage().toCompletableFuture().join();
        log.info("imgedge stopped");
      }
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
        logback.stop();
      }
    }, "imgedge-shutdown"));
  }

  private static Future<Void> useLogFormat(JsonObject config) {
    try {
      LogFormat.apply(LoggingConfig.from(new Json(config, "logging")));
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Vert.x's own meters: worker and named pools, the event bus (uploads to the imaging workers), and the
   * clients (PostgreSQL pool, Redis). Not its HTTP and TCP server meters: the request log already times
   * every request into a histogram by route, and Vert.x's would tag and look up meters on every request
   * and every read, a cost the cached-read path must not pay twice. The JVM meters come from Metrics.
   */
  private static MicrometerMetricsOptions vertxMetrics() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER);
  }
}
