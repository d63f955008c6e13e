package org.imgedge.support;

import java.sql.SQLException;

/**
 * Recognises "the disk is full" in whatever shape it arrives. The JDK reports ENOSPC and EDQUOT only as
 * the text of an {@code IOException} (there is no subclass for them), Vert.x wraps that in its own
 * file-system exception, and SQLite reports SQLITE_FULL as an error code.
 */
public final class DiskFull {

  /** SQLite's primary result code for "database or disk is full". */
  private static final int SQLITE_FULL = 13;

  private DiskFull() {}

  public static boolean is(Throwable failure) {
    return Causes.any(failure, t -> {
      String message = String.valueOf(t.getMessage());
      // the strerror texts of ENOSPC and EDQUOT, which no other error carries
      return message.contains("No space left on device") || message.contains("Disk quota exceeded")
          || t instanceof SQLException sql && sql.getErrorCode() == SQLITE_FULL;
    });
  }
}
