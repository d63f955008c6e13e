package org.imgedge.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.imgedge.config.ConfigLoader;

/**
 * {@code java -jar imgedge.jar [-conf FILE]}: loads the configuration (defaults, then FILE or
 * {@code VERTX_CONFIG_PATH}, then {@code IMGEDGE_*} variables) and starts the service. A start that
 * fails prints one line that says why and exits with status 1.
 */
public final class Main {

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
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
        .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
    MainVerticle service = new MainVerticle();
    ConfigLoader.load(vertx, file, System.getenv())
        .compose(config -> vertx.deployVerticle(service, new DeploymentOptions().setConfig(config)))
        .onFailure(e -> {
          System.err.println("imgedge: cannot start: " + e.getMessage());
          vertx.close().onComplete(v -> System.exit(1));
        });
    // On SIGTERM: drain the requests under way first, while everything they need still runs, then
    // undeploy (the database pool, Redis and storage clients close) and let the JVM exit.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> service.drain()
        .transform(drained -> vertx.close())
        .toCompletionStage().toCompletableFuture().join(), "imgedge-shutdown"));
  }
}
