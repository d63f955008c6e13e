package org.imgedge.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server process on a free port, for tests that stop Redis under a running service
 * without disturbing the machine's shared one.
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Process process;

  private RedisServer(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  /** Starts redis-server (installed by {@code .ci/install-deps}) and returns once it accepts connections. */
  public static RedisServer start() throws IOException, InterruptedException {
    Services.requireRedis(); // the binary comes with the same package as the shared server
    int port = Ports.free();
    Process process = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port),
        "--save", "", "--appendonly", "no")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    RedisServer server = new RedisServer(port, process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Ports.accepts(port, 200)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      process.waitFor(50, TimeUnit.MILLISECONDS); // waits on the process, so a crash ends the wait at once
    }
    return server;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server the way a crash would. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
