package org.imgedge.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.imgedge.storage.S3Config;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The services a {@link TestApp} keeps its data in. Embedded (the default): SQLite and files in the
 * app's storage folder. Production, when the build sets {@code imgedge.backend=production}: a fresh
 * PostgreSQL database, a Redis key prefix of its own on the local Redis, and a bucket of its own on
 * an S3Proxy server shared by the test run. Several apps given the same production backend are the
 * nodes of one deployment.
 */
public final class Backend implements AutoCloseable {

  private static S3ProxyServer s3proxy;

  /** The shared server's database of this backend, dropped on close; null for embedded or a private server. */
  private final Postgres postgres;
  private final String databaseUrl;
  private final String databaseJdbcUrl;
  private final String redisUrl;
  private final String redisPrefix;
  private final String bucket;

  private Backend(Postgres postgres, String databaseUrl, String databaseJdbcUrl, String redisUrl, String bucket) {
    this.postgres = postgres;
    this.databaseUrl = databaseUrl;
    this.databaseJdbcUrl = databaseJdbcUrl;
    this.redisUrl = redisUrl;
    this.redisPrefix = "test:" + UUID.randomUUID() + ":";
    this.bucket = bucket;
  }

  /** What the build asked for: production when {@code -Dimgedge.backend=production}, else embedded. */
  public static Backend fromBuild() {
    return "production".equals(System.getProperty("imgedge.backend")) ? production() : embedded();
  }

  public static Backend embedded() {
    return new Backend(null, null, null, null, null);
  }

  public static Backend production() {
    return production("redis://127.0.0.1:6379");
  }

  /** @param redisUrl e.g. a {@link RedisServer} of the test's own, to stop it under the service */
  public static Backend production(String redisUrl) {
    Services.requireRedis();
    Postgres postgres = Postgres.freshDatabase();
    String name = postgres.url().substring(postgres.url().lastIndexOf('/') + 1);
    return new Backend(postgres, postgres.url(), "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres", redisUrl, newBucket());
  }

  /** Production services with the catalog in a private PostgreSQL, which the test may stop; the test closes it. */
  public static Backend production(PostgresServer database) {
    Services.requireRedis();
    return new Backend(null, database.url(), database.jdbcUrl(), "redis://127.0.0.1:6379", newBucket());
  }

  private static String newBucket() {
    String bucket = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    s3().createBucket(bucket);
    return bucket;
  }

  public boolean isProduction() {
    return databaseUrl != null;
  }

  /** The service configuration that points at these services (empty for embedded). */
  JsonObject config() {
    if (!isProduction()) {
      return new JsonObject();
    }
    S3Config s3 = s3().config(bucket);
    return new JsonObject()
        .put("database", new JsonObject().put("url", databaseUrl))
        .put("redis", new JsonObject().put("url", redisUrl).put("keyPrefix", redisPrefix).put("ttlSeconds", 300))
        .put("storage", new JsonObject().put("s3", new JsonObject()
            .put("endpoint", s3.endpoint()).put("bucket", bucket).put("region", s3.region())
            .put("accessKey", s3.accessKey()).put("secretKey", s3.secretKey()).put("pathStyle", true)));
  }

  /** A JDBC URL of the catalog database, for counting rows behind the service's back. */
  String jdbcUrl(Path storageDir) {
    return isProduction()
        ? databaseJdbcUrl
        : "jdbc:sqlite:" + storageDir.resolve("imgedge.db").toAbsolutePath() + "?busy_timeout=10000";
  }

  /** Every stored blob: files under {@code blobs/}, or the bucket's object keys. */
  List<Path> blobs(Path storageDir) {
    if (!isProduction()) {
      return Storage.files(storageDir.resolve("blobs"));
    }
    try (S3Client client = s3().client()) {
      // S3Proxy's file-system backend also lists its folders as objects; the service only writes <xx>/<id>/<name>
      return client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
          .map(S3Object::key)
          .filter(key -> key.split("/").length == 3).map(Path::of).sorted().toList();
    }
  }

  /** The parts of resumable uploads: files under {@code partial/}, or the bucket's {@code partial/} keys. */
  List<Path> partialParts(Path storageDir) {
    if (!isProduction()) {
      return Storage.files(storageDir.resolve("partial"));
    }
    try (S3Client client = s3().client()) {
      return client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("partial/")).contents().stream()
          .map(S3Object::key).filter(key -> key.split("/").length == 3).map(Path::of).sorted().toList();
    }
  }

  @Override
  public void close() {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** One S3Proxy for the whole test run; it dies with the JVM. */
  private static synchronized S3ProxyServer s3() {
    if (s3proxy == null) {
      try {
        s3proxy = S3ProxyServer.start(Files.createTempDirectory("imgedge-s3proxy-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return s3proxy;
  }
}
