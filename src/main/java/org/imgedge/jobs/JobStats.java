package org.imgedge.jobs;

import java.util.Map;
import org.imgedge.catalog.AnalysisStatus;

/**
 * How many images are in each analysis state, and how long the oldest one still waiting has waited.
 *
 * @param byStatus                the statuses that have images; a missing one counts 0
 * @param oldestPendingAgeSeconds 0 when nothing is pending
 */
public record JobStats(Map<AnalysisStatus, Long> byStatus, long oldestPendingAgeSeconds) {

  static JobStats empty() {
    return new JobStats(Map.of(), 0);
  }

  public long count(AnalysisStatus status) {
    return byStatus.getOrDefault(status, 0L);
  }
}
