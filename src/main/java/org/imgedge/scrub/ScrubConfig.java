package org.imgedge.scrub;

import org.imgedge.config.Json;

/**
 * @param maxBytesPerSecond how fast a scrub reads blobs, so that serving is not starved of storage and CPU
 * @param intervalHours     a scrub starts this often on every node; 0: only when an admin asks
 */
public record ScrubConfig(long maxBytesPerSecond, int intervalHours) {
  public static ScrubConfig from(Json j) {
    return new ScrubConfig(j.number("maxBytesPerSecond", 16L << 20, 1L << 16, 1L << 40), j.integer("intervalHours", 0, 0, 24 * 365));
  }
}
