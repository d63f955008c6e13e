package org.imgedge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster (initdb + pg_ctl) on a free port with its data in a temporary folder,
 * for tests that stop and restart the database under a running service without touching the
 * machine's shared server. PostgreSQL refuses to run as root, so when the tests run as root every
 * command runs as the {@code postgres} OS user (runuser), which then owns the data folder.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Path INSTALLS = Path.of("/usr/lib/postgresql");
  private final Path bin;
  private final Path dataDir;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path dataDir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates a fresh cluster (trust auth, user {@code postgres}) and starts it. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = findBin();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dataDir = Files.createTempDirectory("imgedge-pg-");
    int port = Ports.free();
    PostgresServer server = new PostgresServer(bin, dataDir, port, root);
    try {
      if (root) {
        run(List.of("chown", "postgres:", dataDir.toString()), 30);
      }
      // fsync off and no sync at initdb: a throwaway cluster, and the machine's disk is shared
      server.pg(List.of("initdb", "-D", dataDir.resolve("data").toString(), "-U", "postgres", "--auth=trust",
          "--encoding=UTF8", "--no-sync"), 120);
      server.startServer();
      return server;
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  /** The URL in the form the service's {@code database.url} takes. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** The JDBC URL of the same database, for counting rows behind the service's back. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Starts the cluster and returns once it accepts connections. */
  public void startServer() throws IOException, InterruptedException {
    String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dataDir
        + " -c fsync=off -c max_connections=50";
    pg(List.of("pg_ctl", "-D", dataDir.resolve("data").toString(), "-l", dataDir.resolve("server.log").toString(),
        "-o", options, "-w", "-t", "60", "start"), 90);
    if (!Ports.accepts(port, 1000)) {
      throw new IllegalStateException("PostgreSQL did not listen on port " + port + "; see " + dataDir.resolve("server.log"));
    }
  }

  /**
   * Stops the cluster. {@code fast} ends every session with an error (what an orderly restart does);
   * {@code immediate} kills the processes without cleanup (a crash).
   */
  public void stopServer(String mode) throws IOException, InterruptedException {
    pg(List.of("pg_ctl", "-D", dataDir.resolve("data").toString(), "-m", mode, "-w", "-t", "60", "stop"), 90);
  }

  /**
   * Pauses every process of the cluster with SIGSTOP: a database that hangs rather than fails. Its
   * connections stay open, and nothing answers on them until {@link #resume()}.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** The postmaster first: once it is stopped, it forks no new backend that the signal would miss. */
  private void signal(String name) throws IOException, InterruptedException {
    long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("data").resolve("postmaster.pid")).get(0).trim());
    run(List.of("kill", "-" + name, Long.toString(postmaster)), 10);
    List<String> command = new ArrayList<>(List.of("kill", "-" + name));
    ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> command.add(Long.toString(p.pid())));
    if (command.size() > 2) {
      run(command, 10);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(dataDir.resolve("data").resolve("postmaster.pid"))) {
        resume(); // a paused cluster would not act on the stop
        stopServer("immediate");
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dataDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void pg(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add(bin.resolve(command.get(0)).toString());
    full.addAll(command.subList(1, command.size()));
    run(full, timeoutSeconds);
  }

  private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    // read while it runs, so a chatty command never blocks on a full pipe
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + new String(out));
    }
  }

  /** The newest installed version's bin folder; in CI a missing PostgreSQL fails, elsewhere it skips. */
  private static Path findBin() {
    Optional<Path> bin;
    try (Stream<Path> versions = Files.isDirectory(INSTALLS) ? Files.list(INSTALLS) : Stream.empty()) {
      bin = versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String why = "no PostgreSQL server binaries (initdb, pg_ctl) under " + INSTALLS + "/<version>/bin";
    if (bin.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(why);
    }
    assumeTrue(bin.isPresent(), why);
    return bin.get();
  }

  private static int versionOf(Path dir) {
    String name = dir.getFileName().toString();
    return name.matches("\\d+") ? Integer.parseInt(name) : 0;
  }
}
