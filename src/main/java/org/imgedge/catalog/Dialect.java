package org.imgedge.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.sql.SQLException;
import org.imgedge.support.Causes;

/**
 * What differs between the two databases, kept in one place: placeholders ({@code ?} for JDBC,
 * {@code $1} for the PostgreSQL client), row and table locks, and how each reports a broken
 * unique rule. The SQL itself is written once, with {@code ?}.
 */
public enum Dialect {
  SQLITE, POSTGRES;

  /** Rewrites {@code ?} placeholders to {@code $n} for PostgreSQL (our SQL has no '?' in literals). */
  public String sql(String text) {
    if (this == SQLITE) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    int n = 0;
    for (char c : text.toCharArray()) {
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * What ends a {@code SELECT} that picks a queue row to take. PostgreSQL runs claims side by side,
   * so each locks its pick and skips rows another claim holds. SQLite has one writer connection: its
   * claims already run one after another, and it has no row locks to ask for.
   */
  public String lockSkippingLocked() {
    return this == POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** What ends a {@code SELECT} whose rows must not change until the statement's transaction ends. */
  public String lockShared() {
    return this == POSTGRES ? " FOR SHARE" : "";
  }

  /**
   * Inside a transaction: no other transaction writes the table, or locks it so, until this one ends.
   * SQLite needs nothing: its one process runs one writing transaction at a time.
   */
  public Future<Void> lockTable(SqlConnection conn, String table) {
    return this == POSTGRES ? conn.query("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE").execute().mapEmpty()
        : Future.succeededFuture();
  }

  boolean isUniqueViolation(Throwable t) {
    return Causes.any(t, c -> this == POSTGRES && c instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
        // SQLite: SQLITE_CONSTRAINT (19); the extended code 2067 is SQLITE_CONSTRAINT_UNIQUE
        || this == SQLITE && c instanceof SQLException sql && (sql.getErrorCode() == 19 || sql.getErrorCode() == 2067)
            && String.valueOf(sql.getMessage()).contains("UNIQUE"));
  }
}
