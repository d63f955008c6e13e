package org.imgedge.http;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.imgedge.support.DiskFull;

/**
 * Which failures a client should see as "try again later" rather than as a bug: a full disk (507) and
 * a database that is down, restarting or too busy (503). Everything the features do not turn into an
 * {@link AppException} themselves passes through here on its way to {@link ProblemFailureHandler}.
 */
final class Failures {

  /** Long enough for a restarted database to accept connections again, short enough to feel alive. */
  static final int DATABASE_RETRY_SECONDS = 5;

  /** The vertx-sql-client pool's only signal for "no connection within PoolOptions.connectionTimeout". */
  private static final String POOL_WAIT_TIMEOUT = "Timeout waiting for connection";
  /** SQLite result codes: the database file is locked by another writer, or the file cannot be written. */
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_IOERR = 10;

  private Failures() {}

  /** @return the problem this failure stands for, or null when it is not a known dependency failure */
  static AppException classify(Throwable failure) {
    if (DiskFull.is(failure) || hasSqlState(failure, "53100")) {
      return AppException.storageFull();
    }
    if (isDatabaseUnavailable(failure)) {
      return AppException.retryLater(ProblemType.UNAVAILABLE, "The database is not answering; retry shortly.",
          DATABASE_RETRY_SECONDS);
    }
    return null;
  }

  private static boolean isDatabaseUnavailable(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
        return true; // refused, timed out connecting (Netty's ConnectTimeoutException is one), or dropped mid-query
      }
      if (POOL_WAIT_TIMEOUT.equals(t.getMessage())) {
        return true;
      }
      if (t instanceof DatabaseException db && unavailableState(db.getSqlState())) {
        return true;
      }
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == SQLITE_BUSY || sql.getErrorCode() == SQLITE_LOCKED || sql.getErrorCode() == SQLITE_IOERR)) {
        return true;
      }
    }
    return false;
  }

  /**
   * PostgreSQL SQLSTATEs that say "not now" rather than "wrong query": class 08 (connection exception),
   * 53300 (too many connections), 57P01..57P03 (shut down by an administrator, crashed, starting up).
   */
  private static boolean unavailableState(String state) {
    return state != null && (state.startsWith("08") || state.equals("53300") || state.startsWith("57P0"));
  }

  private static boolean hasSqlState(Throwable failure, String state) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof DatabaseException db && state.equals(db.getSqlState())) {
        return true;
      }
    }
    return false;
  }
}
