package org.imgedge.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as its own operating-system process, as it runs in production ({@code Main}, a config
 * file, the test keys), for what a test cannot do to a Vert.x instance inside its own JVM: kill it
 * with SIGKILL, or send it SIGTERM. The process runs on the test's classpath, so it is the code just
 * built; its output goes to a log file beside its storage.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Path storage;
  private final Backend backend;
  private final int port;
  private final Path log;
  private final Process process;

  private ServiceProcess(Path storage, Backend backend, int port, Path log, Process process) {
    this.storage = storage;
    this.backend = backend;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts the service on {@code storage} (kept between starts, so a restart finds the data) and
   * returns once it answers ready.
   *
   * @param overrides merged over the test configuration, as {@link TestApp#start} does
   */
  public static ServiceProcess start(Path storage, Backend backend, JsonObject overrides) {
    return start(storage, backend, overrides, Map.of());
  }

  /** As {@link #start(Path, Backend, JsonObject)}, with {@code env} added to the process's environment. */
  public static ServiceProcess start(Path storage, Backend backend, JsonObject overrides, Map<String, String> env) {
    ServiceProcess service = launch(storage, backend, overrides, env);
    service.awaitReady(Duration.ofSeconds(60));
    return service;
  }

  /**
   * Starts the service and returns at once, for a start that is expected to fail or to wait: see
   * {@link #awaitExit} and {@link #awaitLog}.
   */
  public static ServiceProcess launch(Path storage, Backend backend, JsonObject overrides, Map<String, String> env) {
    try {
      Files.createDirectories(storage);
      int port = Ports.free();
      JsonObject config = TestApp.defaults()
          .mergeIn(new JsonObject()
              .put("http", new JsonObject().put("port", port).put("host", "127.0.0.1"))
              .put("storage", new JsonObject().put("dir", storage.toString()))
              .put("auth", new JsonObject().put("keys", TestApp.testKeys()))
              .put("imaging", new JsonObject().put("workers", 2)), true)
          .mergeIn(backend.config(), true)
          .mergeIn(overrides, true);
      Path configFile = Files.writeString(storage.resolve("test-config.json"), config.encodePrettily());
      return new ServiceProcess(storage, backend, port, null, null).run(configFile, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the service on the configuration file as it is (a broken one, say) and returns at once. */
  public static ServiceProcess launch(Path storage, Path configFile, Map<String, String> env) {
    try {
      Files.createDirectories(storage);
      return new ServiceProcess(storage, Backend.embedded(), 0, null, null).run(configFile, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ServiceProcess run(Path configFile, Map<String, String> env) throws IOException {
    Path log = storage.resolve("service-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "org.imgedge.app.Main", "-conf", configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // Only the variables the test gives: one left in the runner's environment would change the start.
    builder.environment().keySet().removeIf(name -> name.startsWith("IMGEDGE_"));
    builder.environment().putAll(env);
    return new ServiceProcess(storage, backend, port, log, builder.start());
  }

  /** Returns once the service has printed a line containing {@code text}; fails if it exits first or {@code limit} passes. */
  public void awaitLog(String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive() && !log().contains(text)) {
        throw new AssertionError("the service exited with " + process.exitValue() + " before printing '" + text + "'\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service did not print '" + text + "' within " + limit + "\n" + logTail());
      }
      // polling the log file, not waiting for a guessed time
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  /** Waits, as {@link #start} does, for the service to answer ready. */
  public void awaitReady() {
    awaitReady(Duration.ofSeconds(60));
  }

  /** As {@link #awaitReady()}, on a port the environment chose rather than the test configuration. */
  public void awaitReadyOn(int otherPort) {
    awaitReady(URI.create("http://127.0.0.1:" + otherPort + "/health/ready"), Duration.ofSeconds(60));
  }

  public int port() {
    return port;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public Process process() {
    return process;
  }

  /** What is stored: rows and files, read directly from storage. */
  public Storage stored() {
    return new Storage(storage, backend);
  }

  /** SIGKILL: the process gets no chance to finish anything. Returns once it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** As {@link #kill}: a test class's teardown needs nothing of the service's own stop. */
  @Override
  public void close() throws InterruptedException {
    kill();
  }

  /** SIGTERM: the graceful stop. Returns at once. */
  public void terminate() {
    process.destroy();
  }

  /** @return the process's exit status, once it has exited within {@code limit} */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the service did not exit within " + limit + "\n" + logTail());
    }
    return process.exitValue();
  }

  /** The last lines the service printed, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Every line the service printed. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration limit) {
    awaitReady(uri("/health/ready"), limit);
  }

  private void awaitReady(URI ready, Duration limit) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + " before it was ready\n" + logTail());
      }
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      Thread.onSpinWait();
      try {
        // polling the port, not waiting for a guessed time
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    process.destroyForcibly();
    throw new AssertionError("the service was not ready within " + limit + "\n" + logTail());
  }
}
