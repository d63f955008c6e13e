package org.imgedge.ingest;

import org.imgedge.config.Json;

public record LimitsConfig(long maxUploadBytes, long maxPixels) {
  public static LimitsConfig from(Json j) {
    return new LimitsConfig(
        j.number("maxUploadBytes", 52_428_800L, 1, Long.MAX_VALUE),
        j.number("maxPixels", 200_000_000L, 1, Long.MAX_VALUE));
  }
}
