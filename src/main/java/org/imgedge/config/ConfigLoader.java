package org.imgedge.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges the configuration in a fixed order, the last one winning: the defaults in
 * {@code conf/config.json} (also packed in the jar), then the operator's file, then {@code IMGEDGE_*}
 * environment variables. The order is explicit because vertx-config's default puts the file after
 * the environment.
 */
public final class ConfigLoader {

  static final String DEFAULTS = "conf/config.json";

  /** Every environment variable the service reads, and the key it sets. docs/configuration.md lists the same table. */
  public static final Map<String, String> ENV = envTable();

  private ConfigLoader() {}

  private static Map<String, String> envTable() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("IMGEDGE_HTTP_HOST", "http.host");
    m.put("IMGEDGE_HTTP_PORT", "http.port");
    m.put("IMGEDGE_HTTP_INSTANCES", "http.instances");
    m.put("IMGEDGE_HTTP_DRAIN_SECONDS", "http.drainSeconds");
    m.put("IMGEDGE_HTTP_MIN_BYTES_PER_SECOND", "http.minBytesPerSecond");
    m.put("IMGEDGE_HTTP_RATE_WINDOW_SECONDS", "http.rateWindowSeconds");
    m.put("IMGEDGE_HTTP_HEADER_TIMEOUT_SECONDS", "http.headerTimeoutSeconds");
    m.put("IMGEDGE_HTTP_IDLE_BEFORE_FIRST_BYTE_SECONDS", "http.idleBeforeFirstByteSeconds");
    m.put("IMGEDGE_HTTP_MAX_CONNECTIONS", "http.maxConnections");
    m.put("IMGEDGE_HTTP_MANAGEMENT_PORT", "http.managementPort");
    m.put("IMGEDGE_HTTP_CORS_ORIGINS", "http.cors.origins");
    m.put("IMGEDGE_STORAGE_DIR", "storage.dir");
    m.put("IMGEDGE_STORAGE_ORPHAN_GRACE_SECONDS", "storage.orphanGraceSeconds");
    m.put("IMGEDGE_STORAGE_S3_ENDPOINT", "storage.s3.endpoint");
    m.put("IMGEDGE_STORAGE_S3_BUCKET", "storage.s3.bucket");
    m.put("IMGEDGE_STORAGE_S3_REGION", "storage.s3.region");
    m.put("IMGEDGE_STORAGE_S3_ACCESS_KEY", "storage.s3.accessKey");
    m.put("IMGEDGE_STORAGE_S3_SECRET_KEY", "storage.s3.secretKey");
    m.put("IMGEDGE_STORAGE_S3_PATH_STYLE", "storage.s3.pathStyle");
    m.put("IMGEDGE_DATABASE_URL", "database.url");
    m.put("IMGEDGE_DATABASE_POOL_SIZE", "database.poolSize");
    m.put("IMGEDGE_DATABASE_CONNECT_TIMEOUT_MILLIS", "database.connectTimeoutMillis");
    m.put("IMGEDGE_DATABASE_POOL_WAIT_MILLIS", "database.poolWaitMillis");
    m.put("IMGEDGE_DATABASE_STATEMENT_TIMEOUT_MILLIS", "database.statementTimeoutMillis");
    m.put("IMGEDGE_DATABASE_STARTUP_WAIT_SECONDS", "database.startupWaitSeconds");
    m.put("IMGEDGE_REDIS_URL", "redis.url");
    m.put("IMGEDGE_REDIS_KEY_PREFIX", "redis.keyPrefix");
    m.put("IMGEDGE_REDIS_TTL_SECONDS", "redis.ttlSeconds");
    m.put("IMGEDGE_REDIS_TIMEOUT_MILLIS", "redis.timeoutMillis");
    m.put("IMGEDGE_AUTH_KEYS", "auth.keys");
    m.put("IMGEDGE_AUTH_JWT_JWKS_URL", "auth.jwt.jwksUrl");
    m.put("IMGEDGE_AUTH_JWT_PUBLIC_KEYS", "auth.jwt.publicKeys");
    m.put("IMGEDGE_AUTH_JWT_SECRET", "auth.jwt.secret");
    m.put("IMGEDGE_AUTH_JWT_ISSUER", "auth.jwt.issuer");
    m.put("IMGEDGE_AUTH_JWT_AUDIENCE", "auth.jwt.audience");
    m.put("IMGEDGE_AUTH_JWT_OWNER_CLAIM", "auth.jwt.ownerClaim");
    m.put("IMGEDGE_AUTH_JWT_ROLE_CLAIM", "auth.jwt.roleClaim");
    m.put("IMGEDGE_AUTH_JWT_CLOCK_SKEW_SECONDS", "auth.jwt.clockSkewSeconds");
    m.put("IMGEDGE_LIMITS_MAX_UPLOAD_BYTES", "limits.maxUploadBytes");
    m.put("IMGEDGE_LIMITS_MAX_PIXELS", "limits.maxPixels");
    m.put("IMGEDGE_LIMITS_UPLOADS_PER_MINUTE", "limits.uploadsPerMinute");
    m.put("IMGEDGE_PRESETS", "presets");
    m.put("IMGEDGE_IMAGING_CODEC", "imaging.codec");
    m.put("IMGEDGE_IMAGING_WORKERS", "imaging.workers");
    m.put("IMGEDGE_IMAGING_QUEUE", "imaging.queue");
    m.put("IMGEDGE_IMAGING_TIMEOUT_SECONDS", "imaging.timeoutSeconds");
    m.put("IMGEDGE_IMAGING_MEMORY_BUDGET_BYTES", "imaging.memoryBudgetBytes");
    m.put("IMGEDGE_IMAGING_WIDE_GAMUT", "imaging.wideGamut");
    m.put("IMGEDGE_CACHE_MAX_BYTES", "cache.maxBytes");
    m.put("IMGEDGE_JOBS_MAX_ATTEMPTS", "jobs.maxAttempts");
    m.put("IMGEDGE_JOBS_BACKOFF_SECONDS", "jobs.backoffSeconds");
    m.put("IMGEDGE_URLS_SIGNING_KEYS", "urls.signingKeys");
    m.put("IMGEDGE_CDN_PURGE", "cdn.purge");
    m.put("IMGEDGE_CDN_PUBLIC_BASE_URL", "cdn.publicBaseUrl");
    m.put("IMGEDGE_SCRUB_MAX_BYTES_PER_SECOND", "scrub.maxBytesPerSecond");
    m.put("IMGEDGE_SCRUB_INTERVAL_HOURS", "scrub.intervalHours");
    m.put("IMGEDGE_REGENERATION_CONCURRENCY", "regeneration.concurrency");
    m.put("IMGEDGE_REGENERATION_CHECK_SECONDS", "regeneration.checkSeconds");
    m.put("IMGEDGE_LOGGING_FORMAT", "logging.format");
    m.put("IMGEDGE_UPLOADS_MAX_PARTIAL", "uploads.maxPartial");
    m.put("IMGEDGE_UPLOADS_EXPIRE_SECONDS", "uploads.expireSeconds");
    m.put("IMGEDGE_UPLOADS_MAX_PARTS", "uploads.maxParts");
    return Map.copyOf(m);
  }

  /**
   * Fails, with one line for the operator, on a file that is not JSON (naming file, line and column),
   * on an unknown key or {@code IMGEDGE_*} variable (naming the closest known one), and on a
   * {@code _FILE} variable that cannot be used.
   *
   * @param file an operator's file given with {@code -conf} or {@code VERTX_CONFIG_PATH}, or null
   * @param env  the process environment
   */
  public static Future<JsonObject> load(Vertx vertx, String file, Map<String, String> env) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(0);
    try {
      options.addStore(json(defaults()));
      if (file != null) {
        options.addStore(json(JsonFiles.read(Path.of(file))));
      }
      options.addStore(json(fromEnv(EnvFiles.resolve(KnownKeys.checkVariables(env)))));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().eventually(retriever::close)
        .compose(merged -> {
          // known keys from the copy in the build, not the working folder's: an edited conf/config.json
          // must not make its own typos known (its keys are checked like any other layer's)
          new KnownKeys(packedDefaults()).checkKeys(merged);
          return Future.succeededFuture(merged);
        });
  }

  private static ConfigStoreOptions json(JsonObject config) {
    return new ConfigStoreOptions().setType("json").setConfig(config);
  }

  /**
   * {@code conf/config.json} in the working folder when there is one (a checkout), else the copy packed
   * in the jar, read as a resource: the service runs without Vert.x's classpath file resolution (see Main).
   * Every key the service reads is in it, with null where it has no default: it is also the list of
   * known keys.
   */
  static JsonObject defaults() {
    if (Files.isRegularFile(Path.of(DEFAULTS))) {
      return JsonFiles.read(Path.of(DEFAULTS));
    }
    return packedDefaults();
  }

  /** The defaults file as the build packed it: every key this build reads. */
  static JsonObject packedDefaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS + " is missing from the build");
      }
      return JsonFiles.parse(DEFAULTS, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Turns {@code IMGEDGE_HTTP_PORT=9000} into {@code {"http": {"port": "9000"}}}; JSON-valued keys are parsed. */
  static JsonObject fromEnv(Map<String, String> env) {
    JsonObject root = new JsonObject();
    ENV.forEach((name, key) -> {
      String value = env.get(name);
      if (value == null) {
        return;
      }
      String[] path = key.split("\\.");
      JsonObject parent = root;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent.getJsonObject(path[i]) != null ? parent.getJsonObject(path[i]) : putObject(parent, path[i]);
      }
      parent.put(path[path.length - 1], parse(name, value));
    });
    return root;
  }

  private static JsonObject putObject(JsonObject parent, String name) {
    JsonObject child = new JsonObject();
    parent.put(name, child);
    return child;
  }

  private static Object parse(String name, String value) {
    String v = value.trim();
    try {
      if (v.startsWith("[")) {
        return new JsonArray(v);
      }
      if (v.startsWith("{")) {
        return new JsonObject(v);
      }
    } catch (RuntimeException e) {
      throw new ConfigException(ENV.get(name), "environment variable " + name + " is not valid JSON");
    }
    return v.equals("null") ? null : v;
  }
}
