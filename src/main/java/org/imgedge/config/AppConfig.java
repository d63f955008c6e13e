package org.imgedge.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
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
    CacheConfig cache) {

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
        CacheConfig.from(new Json(json, "cache")));
  }

  public record HttpConfig(String host, int port, int instances) {
    static HttpConfig from(Json j) {
      int cores = Runtime.getRuntime().availableProcessors();
      return new HttpConfig(j.string("host", "0.0.0.0"), j.integer("port", 8080, 0, 65535), j.integer("instances", cores, 1, 64));
    }
  }

  public record StorageConfig(Path dir) {
    static StorageConfig from(Json j) {
      String dir = j.string("dir", "data");
      if (dir.isBlank()) {
        throw new ConfigException("storage.dir", "must not be empty");
      }
      return new StorageConfig(Path.of(dir));
    }
  }

  /** {@code url} null means the embedded SQLite file inside storage.dir. */
  public record DatabaseConfig(String url, int poolSize) {
    static DatabaseConfig from(Json j) {
      String url = j.string("url", null);
      if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
        throw new ConfigException("database.url", "must be null (embedded SQLite) or a postgresql:// URL");
      }
      return new DatabaseConfig(url, j.integer("poolSize", 8, 1, 100));
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
}
