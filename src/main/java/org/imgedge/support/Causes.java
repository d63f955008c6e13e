package org.imgedge.support;

import java.util.function.Predicate;

/** Walks an exception's cause chain, which Vert.x, JDBC and the S3 client each wrap in their own way. */
public final class Causes {

  /** Deep enough for any wrapping we have met; a bound, since a cause chain may loop. */
  private static final int MAX_DEPTH = 16;

  private Causes() {}

  /** @return whether the failure or any of its causes matches */
  public static boolean any(Throwable failure, Predicate<Throwable> test) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }
}
