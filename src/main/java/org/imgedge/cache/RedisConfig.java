package org.imgedge.cache;

import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code url} null means no shared cache: Caffeine only.
 *
 * @param keyPrefix     put before every key and the invalidation channel, so deployments can share a Redis
 * @param ttlSeconds    how long a variant stays in Redis; Redis' own maxmemory policy caps the memory
 * @param timeoutMillis past this a Redis call counts as a miss: Redis is a cache, never a reason to fail
 */
public record RedisConfig(String url, String keyPrefix, int ttlSeconds, int timeoutMillis) {
  public static RedisConfig from(Json j) {
    String url = j.string("url", null);
    if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new ConfigException("redis.url", "must be null or a redis:// URL");
    }
    return new RedisConfig(url, j.string("keyPrefix", "imgedge:"), j.integer("ttlSeconds", 86_400, 1, Integer.MAX_VALUE),
        j.integer("timeoutMillis", 250, 1, 60_000));
  }
}
