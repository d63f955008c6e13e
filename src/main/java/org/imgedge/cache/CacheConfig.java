package org.imgedge.cache;

import org.imgedge.config.Json;

/** @param maxBytes the in-process (Caffeine) variant cache cap, in bytes */
public record CacheConfig(long maxBytes) {
  public static CacheConfig from(Json j) {
    return new CacheConfig(j.number("maxBytes", 256L * 1024 * 1024, 0, Long.MAX_VALUE));
  }
}
