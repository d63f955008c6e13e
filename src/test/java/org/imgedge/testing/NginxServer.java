package org.imgedge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's own {@code conf/nginx.conf}, run by a private nginx in front of a test node: only what
 * ties it to docker-compose changes (the upstream, the ports, the cache folder, where it writes), so the
 * tests check the locations, cache keys and purge rules that ship.
 */
public record NginxServer(Process process, int port, int purgePort) implements AutoCloseable {

  /** Starts nginx (installed by {@code .ci/install-deps}) in front of {@code upstreamPort}; returns once it accepts. */
  public static NginxServer start(int upstreamPort, int purgePort) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("imgedge-nginx");
    // the workers run as nobody when the tests run as root: they write the cache and read nothing else here
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port = Ports.free();
    String conf = Files.readString(Path.of("conf/nginx.conf"))
        .replace("worker_processes auto;", "worker_processes 1;\ndaemon off;\npid " + dir.resolve("nginx.pid") + ";\n"
            + "error_log " + dir.resolve("error.log") + " warn;")
        .replace("/var/cache/nginx/imgedge", dir.resolve("cache").toString())
        .replaceAll("server node1:8080[^;]*;\\s*server node2:8080[^;]*;", "server 127.0.0.1:" + upstreamPort + ";")
        .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
        .replace("listen 8081;", "listen 127.0.0.1:" + purgePort + ";")
        .replace("http {", "http {\n  client_body_temp_path " + dir.resolve("body") + ";\n  proxy_temp_path " + dir.resolve("proxy")
            + ";\n  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n  uwsgi_temp_path " + dir.resolve("uwsgi")
            + ";\n  scgi_temp_path " + dir.resolve("scgi") + ";");
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process process = new ProcessBuilder(List.of("nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
        "-c", file.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    NginxServer server = new NginxServer(process, port, purgePort);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Ports.accepts(port, 1000) || !Ports.accepts(purgePort, 1000)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
        server.close();
        throw new IllegalStateException("nginx did not start: " + log + Files.readString(dir.resolve("out.log")));
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    return server;
  }



  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
