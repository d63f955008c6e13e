package org.imgedge.catalog;

import java.util.Locale;

/** Where an image is in the AI pipeline; stored and answered in lower case, as API.md spells it. */
public enum AnalysisStatus {
  /** Waiting for a worker to claim it (again, after a failure with attempts left). */
  PENDING,
  /** Claimed: a worker holds its lease. */
  PROCESSING,
  DONE,
  /** Given up on after its last attempt. */
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AnalysisStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
