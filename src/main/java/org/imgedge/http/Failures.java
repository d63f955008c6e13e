package org.imgedge.http;

import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.imgedge.catalog.DatabaseTimeoutException;
import org.imgedge.problem.AppException;
import org.imgedge.storage.StorageUnavailableException;
import org.imgedge.support.Causes;
import org.imgedge.support.ConnectionLoss;
import org.imgedge.support.DiskFull;

/**
 * Which failures a client should see as "try again later" rather than as a bug: a full disk (507), and
 * a database or object store that is down, restarting, too busy, hanging or dropped the connection (503).
 * Everything the features do not turn into an {@link AppException} themselves passes through here on
 * its way to {@link ProblemFailureHandler}.
 */
final class Failures {

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
    if (Causes.any(failure, t -> t instanceof StorageUnavailableException)) {
      return AppException.unavailable("The storage is not answering; retry shortly.");
    }
    if (ConnectionLoss.isDropped(failure)) {
      return AppException.unavailable("The connection to the database or storage was lost during the request; retry shortly.");
    }
    if (Causes.any(failure, t -> t instanceof DatabaseTimeoutException)) {
      return AppException.unavailable("The database did not answer in time; retry shortly.");
    }
    if (isDatabaseUnavailable(failure)) {
      return AppException.unavailable("The database is not answering; retry shortly.");
    }
    return null;
  }

  private static boolean isDatabaseUnavailable(Throwable failure) {
    // a statement a closing connection never sent; a refused connect, or one that timed out (Netty's
    // ConnectTimeoutException is a ConnectException)
    return ConnectionLoss.isUnsent(failure) || Causes.any(failure, t -> t instanceof ConnectException
        || POOL_WAIT_TIMEOUT.equals(t.getMessage())
        || t instanceof DatabaseException db && unavailableState(db.getSqlState())
        || t instanceof SQLException sql
            && (sql.getErrorCode() == SQLITE_BUSY || sql.getErrorCode() == SQLITE_LOCKED || sql.getErrorCode() == SQLITE_IOERR));
  }

  /**
   * PostgreSQL SQLSTATEs that say "not now" rather than "wrong query": class 08 (connection exception),
   * 53300 (too many connections), 57P01..57P03 (shut down by an administrator, crashed, starting up).
   */
  private static boolean unavailableState(String state) {
    return state != null && (state.startsWith("08") || state.equals("53300") || state.startsWith("57P0"));
  }

  private static boolean hasSqlState(Throwable failure, String state) {
    return Causes.any(failure, t -> t instanceof DatabaseException db && state.equals(db.getSqlState()));
  }
}
