package org.imgedge.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.imgedge.imaging.Preset;

/** The whole configuration, parsed once from the merged JSON into one record per feature. */
public record AppConfig(
    HttpConfig http,
    StorageConfig storage,
    DatabaseConfig database,
    RedisConfig redis,
    AuthConfig auth,
    LimitsConfig limits,
    List<Preset> presets,
    ImagingConfig imaging,
    CacheConfig cache,
    JobsConfig jobs,
    UrlsConfig urls) {

  /** @throws ConfigException naming the first bad key */
  public static AppConfig from(JsonObject json) {
    return new AppConfig(
        HttpConfig.from(new Json(json, "http")),
        StorageConfig.from(new Json(json, "storage")),
        DatabaseConfig.from(new Json(json, "database")),
        RedisConfig.from(new Json(json, "redis")),
        AuthConfig.from(json),
        LimitsConfig.from(new Json(json, "limits")),
        PresetsConfig.from(new Json(json, "presets")),
        ImagingConfig.from(new Json(json, "imaging")),
        CacheConfig.from(new Json(json, "cache")),
        JobsConfig.from(new Json(json, "jobs")),
        UrlsConfig.from(new Json(json, "urls")));
  }

  /**
   * @param drainSeconds         on SIGTERM, how long requests under way may take to finish before the process exits
   * @param minBytesPerSecond    a request body arriving slower than this, averaged over the last
   *                             {@code rateWindowSeconds}, is cut off (408); 0 turns the check off
   * @param rateWindowSeconds    the averaging window, and the grace a body gets before it is first checked
   * @param headerTimeoutSeconds a request's head (request line and headers) must be complete this long
   *                             after its first byte arrived; an idle keep-alive connection is not affected
   */
  public record HttpConfig(String host, int port, int instances, int drainSeconds, int minBytesPerSecond,
      int rateWindowSeconds, int headerTimeoutSeconds) {
    static HttpConfig from(Json j) {
      int cores = Runtime.getRuntime().availableProcessors();
      return new HttpConfig(j.string("host", "0.0.0.0"), j.integer("port", 8080, 0, 65535), j.integer("instances", cores, 1, 64),
          j.integer("drainSeconds", 30, 0, 3600), j.integer("minBytesPerSecond", 16_384, 0, 100_000_000),
          j.integer("rateWindowSeconds", 10, 1, 600), j.integer("headerTimeoutSeconds", 10, 1, 600));
    }
  }

  /** @param s3 where committed blobs go when {@link S3Config#enabled()}; staging stays under {@code dir} */
  /**
   * @param orphanGraceSeconds blobs without an image row are removed once their image is this old; younger
   *     ones may belong to an upload another node is recording right now (0 is safe on a single node)
   */
  public record StorageConfig(Path dir, S3Config s3, int orphanGraceSeconds) {
    static StorageConfig from(Json j) {
      String dir = j.string("dir", "data");
      if (dir.isBlank()) {
        throw new ConfigException("storage.dir", "must not be empty");
      }
      // the same trick as auth keys: a one-entry root so every error names the full key
      Json s3 = new Json(new JsonObject().put("storage.s3", j.raw().getValue("s3")), "storage.s3");
      return new StorageConfig(Path.of(dir), S3Config.from(s3), j.integer("orphanGraceSeconds", 3600, 0, 30 * 86400));
    }
  }

  /**
   * {@code storage.s3}: an S3-compatible bucket for originals and variants. {@code bucket} null means
   * S3 is off and blobs stay in the file store.
   *
   * @param endpoint  e.g. {@code http://127.0.0.1:9000}; null means AWS's own endpoint for the region
   * @param accessKey with {@code secretKey}; both null means the SDK's default credentials chain
   * @param pathStyle {@code host/bucket/key} rather than {@code bucket.host/key}, which most
   *                  self-hosted servers need
   */
  public record S3Config(String endpoint, String bucket, String region, String accessKey, String secretKey, boolean pathStyle) {

    // S3's bucket naming rules, minus the rarer ones (no IP-shaped names, no "..")
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public boolean enabled() {
      return bucket != null;
    }

    @Override
    public String toString() {
      // logged with the effective config: the secret never is
      return "S3Config[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey=" + accessKey
          + ", secretKey=" + (secretKey == null ? null : "***") + ", pathStyle=" + pathStyle + "]";
    }

    static S3Config from(Json j) {
      String endpoint = j.string("endpoint", null);
      String bucket = j.string("bucket", null);
      String region = j.string("region", "us-east-1");
      String accessKey = j.string("accessKey", null);
      String secretKey = j.string("secretKey", null);
      boolean pathStyle = bool(j, "pathStyle", true);
      if (endpoint != null) {
        checkEndpoint(endpoint);
        if (bucket == null) {
          // refused rather than ignored: whoever sets an endpoint expects blobs to go there
          throw new ConfigException("storage.s3.bucket", "must be set when storage.s3.endpoint is");
        }
      }
      if (bucket != null && (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))) {
        throw new ConfigException("storage.s3.bucket", "must be 3 to 63 of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
      }
      if (!REGION.matcher(region).matches()) {
        throw new ConfigException("storage.s3.region", "must look like us-east-1");
      }
      if ((accessKey == null) != (secretKey == null)) {
        String missing = accessKey == null ? "storage.s3.accessKey" : "storage.s3.secretKey";
        throw new ConfigException(missing, "must be set together with the other key, or both left null");
      }
      if (accessKey != null && (accessKey.isBlank() || secretKey.isBlank())) {
        throw new ConfigException(accessKey.isBlank() ? "storage.s3.accessKey" : "storage.s3.secretKey", "must not be empty");
      }
      return new S3Config(endpoint, bucket, region, accessKey, secretKey, pathStyle);
    }

    private static void checkEndpoint(String endpoint) {
      URI uri;
      try {
        uri = new URI(endpoint);
      } catch (URISyntaxException e) {
        throw new ConfigException("storage.s3.endpoint", "is not a URL");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("storage.s3.endpoint", "must be an http:// or https:// URL with a host");
      }
    }

    private static boolean bool(Json j, String key, boolean dflt) {
      Object v = j.raw().getValue(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      if ("true".equals(v) || "false".equals(v)) {
        return Boolean.parseBoolean((String) v); // environment variables arrive as text
      }
      throw new ConfigException("storage.s3." + key, "must be true or false");
    }
  }

  /**
   * {@code url} null means the embedded SQLite file inside storage.dir.
   *
   * @param connectTimeoutMillis how long opening a PostgreSQL connection may take before it counts as down
   * @param poolWaitMillis       how long a query may wait for a pooled connection; past it the request gets
   *                             503 instead of hanging while the database is down or saturated
   */
  public record DatabaseConfig(String url, int poolSize, int connectTimeoutMillis, int poolWaitMillis) {
    static DatabaseConfig from(Json j) {
      String url = j.string("url", null);
      if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
        throw new ConfigException("database.url", "must be null (embedded SQLite) or a postgresql:// URL");
      }
      return new DatabaseConfig(url, j.integer("poolSize", 8, 1, 100), j.integer("connectTimeoutMillis", 2000, 100, 60_000),
          j.integer("poolWaitMillis", 2000, 100, 60_000));
    }
  }

  /**
   * {@code url} null means no shared cache: Caffeine only.
   *
   * @param keyPrefix     put before every key and the invalidation channel, so deployments can share a Redis
   * @param ttlSeconds    how long a variant stays in Redis; Redis' own maxmemory policy caps the memory
   * @param timeoutMillis past this a Redis call counts as a miss: Redis is a cache, never a reason to fail
   */
  public record RedisConfig(String url, String keyPrefix, int ttlSeconds, int timeoutMillis) {
    static RedisConfig from(Json j) {
      String url = j.string("url", null);
      if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
        throw new ConfigException("redis.url", "must be null or a redis:// URL");
      }
      return new RedisConfig(url, j.string("keyPrefix", "imgedge:"), j.integer("ttlSeconds", 86_400, 1, Integer.MAX_VALUE),
          j.integer("timeoutMillis", 250, 1, 60_000));
    }
  }

  public record LimitsConfig(long maxUploadBytes, long maxPixels) {
    static LimitsConfig from(Json j) {
      return new LimitsConfig(
          j.number("maxUploadBytes", 52_428_800L, 1, Long.MAX_VALUE),
          j.number("maxPixels", 200_000_000L, 1, Long.MAX_VALUE));
    }
  }

  /**
   * @param codec   {@code auto} (libjpeg-turbo when it loads), {@code turbo} or {@code imageio}
   * @param workers imaging worker threads; each decodes one upload at a time
   * @param queue   uploads admitted at once (being processed or waiting); more get 503
   */
  public record ImagingConfig(String codec, int workers, int queue, int timeoutSeconds) {
    static ImagingConfig from(Json j) {
      String codec = j.string("codec", "auto");
      if (!List.of("auto", "turbo", "imageio").contains(codec)) {
        throw new ConfigException("imaging.codec", "must be auto, turbo or imageio");
      }
      int cores = Runtime.getRuntime().availableProcessors();
      int workers = j.integer("workers", cores, 1, 256);
      return new ImagingConfig(codec, workers, j.integer("queue", 4 * workers, 1, 10_000),
          j.integer("timeoutSeconds", 60, 1, 3600));
    }
  }

  /** @param maxBytes the in-process (Caffeine) variant cache cap, in bytes */
  public record CacheConfig(long maxBytes) {
    static CacheConfig from(Json j) {
      return new CacheConfig(j.number("maxBytes", 256L * 1024 * 1024, 0, Long.MAX_VALUE));
    }
  }

  /**
   * The AI work queue.
   *
   * @param maxAttempts    claims an image gets (failures and expired leases both count) before it is
   *                       marked {@code failed}
   * @param backoffSeconds wait after the first failure before the image can be claimed again; it
   *                       doubles with each further failure (capped at an hour). 0 retries at once.
   */
  public record JobsConfig(int maxAttempts, int backoffSeconds) {
    static JobsConfig from(Json j) {
      return new JobsConfig(j.integer("maxAttempts", 5, 1, 20), j.integer("backoffSeconds", 10, 0, 3600));
    }
  }
}
