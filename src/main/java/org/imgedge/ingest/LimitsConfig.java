package org.imgedge.ingest;

import org.imgedge.config.Json;

/** @param uploadsPerMinute uploads one owner may start per minute, across all nodes; 0 (or null) for no limit */
public record LimitsConfig(long maxUploadBytes, long maxPixels, int uploadsPerMinute) {
  public static LimitsConfig from(Json j) {
    return new LimitsConfig(
        j.number("maxUploadBytes", 52_428_800L, 1, Long.MAX_VALUE),
        j.number("maxPixels", 200_000_000L, 1, Long.MAX_VALUE),
        j.integer("uploadsPerMinute", 0, 0, 1_000_000));
  }
}
