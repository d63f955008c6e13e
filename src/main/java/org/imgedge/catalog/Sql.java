package org.imgedge.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Every statement of the service's repositories goes through here, written once with {@code ?}
 * placeholders ({@link Dialect#sql}), and held to {@code database.statementTimeoutMillis}. The deadline
 * is kept here, on the client, because a database that hangs (paused, or cut off without a reset)
 * never answers its own statement_timeout: past it the request gets a 503, and the statement finishes
 * or fails later on its own.
 */
public final class Sql {

  private final Pool pool;
  private final Dialect dialect;
  private final long timeoutMillis;

  Sql(Pool pool, Dialect dialect, long timeoutMillis) {
    this.pool = pool;
    this.dialect = dialect;
    this.timeoutMillis = timeoutMillis;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** One prepared statement, with {@code ?} placeholders. */
  public Future<RowSet<Row>> query(String sql, Tuple args) {
    return bounded(pool.preparedQuery(dialect.sql(sql)).execute(args));
  }

  /**
   * Statements on one connection, committed together when {@code work} succeeds and rolled back when it
   * fails. Inside, write statements with {@link Dialect#sql}. The deadline covers the whole transaction.
   */
  public <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return bounded(pool.withTransaction(work));
  }

  private <T> Future<T> bounded(Future<T> statement) {
    return statement.timeout(timeoutMillis, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(
        e instanceof TimeoutException ? new DatabaseTimeoutException(timeoutMillis) : e));
  }
}
