package org.imgedge.catalog;

import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code url} null means the embedded SQLite file inside storage.dir.
 *
 * @param connectTimeoutMillis how long opening a PostgreSQL connection may take before it counts as down
 * @param poolWaitMillis       how long a query may wait for a pooled connection; past it the request gets
 *                             503 instead of hanging while the database is down or saturated
 * @param statementTimeoutMillis how long a statement (or a transaction) may take once it has a connection;
 *                             past it the request gets 503, also from a database that hangs without failing
 * @param startupWaitSeconds how long a start waits for a PostgreSQL that cannot be reached (one starting
 *                             beside the service, as in docker-compose) before it gives up
 */
public record DatabaseConfig(String url, int poolSize, int connectTimeoutMillis, int poolWaitMillis, int statementTimeoutMillis,
    int startupWaitSeconds) {
  public static DatabaseConfig from(Json j) {
    String url = j.string("url", null);
    if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new ConfigException("database.url", "must be null (embedded SQLite) or a postgresql:// URL");
    }
    return new DatabaseConfig(url, j.integer("poolSize", 8, 1, 100), j.integer("connectTimeoutMillis", 2000, 100, 60_000),
        j.integer("poolWaitMillis", 2000, 100, 60_000), j.integer("statementTimeoutMillis", 5000, 100, 600_000),
        j.integer("startupWaitSeconds", 30, 0, 3600));
  }
}
