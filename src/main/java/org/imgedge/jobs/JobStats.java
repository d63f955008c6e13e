package org.imgedge.jobs;

import java.util.Map;

/**
 * How many images are in each analysis state, and how long the oldest one still waiting has waited.
 *
 * @param byStatus                every status of API.md ({@code pending, processing, done, failed}), zero when none
 * @param oldestPendingAgeSeconds 0 when nothing is pending
 */
public record JobStats(Map<String, Long> byStatus, long oldestPendingAgeSeconds) {

  public static final java.util.List<String> STATUSES = java.util.List.of("pending", "processing", "done", "failed");

  static JobStats empty() {
    return new JobStats(Map.of("pending", 0L, "processing", 0L, "done", 0L, "failed", 0L), 0);
  }

  public long count(String status) {
    return byStatus.getOrDefault(status, 0L);
  }
}
