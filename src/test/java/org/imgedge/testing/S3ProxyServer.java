package org.imgedge.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.imgedge.storage.S3Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy with its file-system backend, run as a child process
 * on a free port of 127.0.0.1. The jar is copied from Maven Central into {@code target/s3proxy} by the
 * build; surefire passes its path as {@code imgedge.s3proxy.jar}.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "imgedge-test-access";
  public static final String SECRET_KEY = "imgedge-test-secret";
  public static final String REGION = "us-east-1";

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Path workDir;
  private final int port;
  private final Process process;
  private final Thread killOnExit;

  private S3ProxyServer(Path workDir, int port, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
    // a test JVM that dies without closing us must not leave a server behind
    this.killOnExit = new Thread(process::destroyForcibly, "s3proxy-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts a server that keeps its buckets under {@code workDir} and returns once it answers HTTP.
   *
   * @throws IllegalStateException when the jar is missing or the server does not come up in time
   */
  public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
    Path jar = jar();
    int port = freePort();
    Path blobs = Files.createDirectories(workDir.resolve("blobs"));
    Path properties = workDir.resolve("s3proxy.properties");
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", ACCESS_KEY);
    p.setProperty("s3proxy.credential", SECRET_KEY);
    p.setProperty("jclouds.provider", "filesystem");
    p.setProperty("jclouds.filesystem.basedir", blobs.toString());
    try (OutputStream out = Files.newOutputStream(properties)) {
      p.store(out, "written by S3ProxyServer for one test run");
    }
    Path log = workDir.resolve("s3proxy.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-DLOG_LEVEL=warn",
            "-jar", jar.toString(), "--properties", properties.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    S3ProxyServer server = new S3ProxyServer(workDir, port, process);
    try {
      server.awaitReady(log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.stop();
      throw e;
    }
    return server;
  }

  /** @return e.g. {@code http://127.0.0.1:41234} */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The service's configuration for {@code bucket} on this server. */
  public S3Config config(String bucket) {
    return new S3Config(endpoint(), bucket, REGION, ACCESS_KEY, SECRET_KEY, true);
  }

  /** A client of its own, for setting up and inspecting buckets; the caller closes it. */
  public S3Client client() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Blocking: creates the bucket. */
  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Stops the process and waits for it to exit; the buckets stay on disk under the work folder. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs anyway
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** Polls until any HTTP answer comes back (403 without credentials is fine), bounded by {@link #STARTUP}. */
  private void awaitReady(Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        http.send(ping, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        // not listening yet: wait for the process a little (returns early if it dies), then try again
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("S3Proxy did not answer on " + endpoint() + " within " + STARTUP + ":\n" + tail(log));
  }

  private static Path jar() {
    String configured = System.getProperty("imgedge.s3proxy.jar", "target/s3proxy/s3proxy.jar");
    Path jar = Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no S3Proxy jar at " + jar.toAbsolutePath()
          + "; `mvn generate-test-resources` copies it there from Maven Central");
    }
    return jar;
  }

  private static int freePort() throws IOException {
    // S3Proxy binds the port itself a moment later; the race with another process is accepted
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no output)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n(work dir " + workDir + ")";
  }
}
