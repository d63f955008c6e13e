package org.imgedge.catalog;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.imgedge.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the configured database: migrates its schema (Flyway, over JDBC), then builds the pool. */
public final class Database {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private static final long FIRST_RETRY_MILLIS = 500;
  private static final long MAX_RETRY_MILLIS = 5000;

  private Database() {}

  /**
   * An open pool, the dialect of the database behind it, and the statements' way to it.
   *
   * @param pool for closing, and for tests that drive it directly
   */
  public record Opened(Pool pool, Dialect dialect, Sql sql) {}

  public static Future<Opened> open(Vertx vertx, DatabaseConfig config, Path storageDir) {
    return config.url() == null ? sqlite(vertx, config, storageDir) : postgres(vertx, config);
  }

  private static Future<Opened> sqlite(Vertx vertx, DatabaseConfig config, Path storageDir) {
    // WAL lets readers run beside the writer; synchronous=FULL makes a commit durable before it returns.
    String url = "jdbc:sqlite:" + storageDir.resolve("imgedge.db").toAbsolutePath()
        + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000";
    return vertx.executeBlocking(() -> {
      migrate(url, null, null, "sqlite");
      return null;
    }).map(v -> {
      // SQLite takes one writer at a time; a single connection turns lock waits into an orderly queue,
      // and the wait bound keeps that queue from growing without limit behind a statement that hangs.
      Pool pool = JDBCPool.pool(vertx, new AutoCommitRestoring(url), new PoolOptions().setMaxSize(1)
          .setConnectionTimeout(config.poolWaitMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
      return new Opened(pool, Dialect.SQLITE, new Sql(pool, Dialect.SQLITE, config.statementTimeoutMillis()));
    });
  }

  private static Future<Opened> postgres(Vertx vertx, DatabaseConfig config) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(config.url());
    } catch (RuntimeException e) {
      // the driver's message repeats the URL, password and all: name the key instead
      return Future.failedFuture(new ConfigException("database.url",
          "is not a valid postgresql://user:password@host:port/database URL (characters such as @ / : in the password must be percent-encoded)"));
    }
    // A 2xx promises a commit that survives a crash of the database server too: ask for it on every
    // session, whatever the server's default, since synchronous_commit=off would acknowledge a commit
    // before its WAL is flushed.
    connect.addProperty("synchronous_commit", "on");
    // The server ends a statement that runs past the client's deadline, so its connection comes back.
    connect.addProperty("statement_timeout", Integer.toString(config.statementTimeoutMillis()));
    String where = connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    // pgjdbc's connectTimeout is in seconds; without it a host that drops packets holds an attempt for 10 s.
    String jdbcUrl = "jdbc:postgresql://" + where + "?connectTimeout=" + Math.max(1, (config.connectTimeoutMillis() + 999) / 1000);
    Promise<Void> migrated = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.startupWaitSeconds());
    migrateWhenReachable(vertx, config, jdbcUrl, connect, where, deadline, 1, FIRST_RETRY_MILLIS, migrated);
    return migrated.future().map(v -> {
      // Both bounds keep a request from hanging while PostgreSQL is down: a connect that gets no answer
      // fails after connectTimeoutMillis, and a query that cannot get a connection after poolWaitMillis
      // (the pool's "connection timeout" is its wait time). Either becomes a 503 (http.Failures).
      Pool pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.poolSize())
              .setConnectionTimeout(config.poolWaitMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
          .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutMillis()))
          .connectingTo(connect)
          .using(vertx)
          .build();
      return new Opened(pool, Dialect.POSTGRES, new Sql(pool, Dialect.POSTGRES, config.statementTimeoutMillis()));
    }).compose(opened -> warnIfNotDurable(opened.pool()).map(opened));
  }

  /** fsync is the server's alone to set: with it off, no commit survives a power loss, so say so once. */
  private static Future<Void> warnIfNotDurable(Pool pool) {
    return pool.query("SHOW fsync").execute().map(rows -> {
      String fsync = rows.iterator().next().getString(0);
      if (!"on".equals(fsync)) {
        log.warn("PostgreSQL runs with fsync={}: acknowledged writes survive a crash of the service, "
            + "but not a crash of the database's machine", fsync);
      }
      return null;
    });
  }

  /**
   * Flyway's connection is the first contact with PostgreSQL at start. A database that is not reachable
   * yet (starting beside the service, or restarting) is tried again with a doubling pause until the
   * deadline; a database that answers but refuses (a password, a failed migration) stops the start at once.
   */
  private static void migrateWhenReachable(Vertx vertx, DatabaseConfig config, String jdbcUrl, PgConnectOptions connect,
      String where, long deadline, int attempt, long pauseMillis, Promise<Void> migrated) {
    vertx.<Void>executeBlocking(() -> {
      migrate(jdbcUrl, connect.getUser(), connect.getPassword(), "postgres");
      return null;
    }).onComplete(done -> {
      if (done.succeeded()) {
        migrated.complete();
        return;
      }
      Throwable failure = done.cause();
      if (!unreachable(failure)) {
        migrated.fail(failure);
        return;
      }
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (leftMillis <= 0) {
        migrated.fail(new DatabaseUnreachableException("database " + where + " not reachable after "
            + config.startupWaitSeconds() + " s: " + oneLine(failure)));
        return;
      }
      long pause = Math.min(pauseMillis, leftMillis);
      log.warn("database {} not reachable (attempt {}, next in {} ms): {}", where, attempt, pause, oneLine(failure));
      vertx.setTimer(pause, t -> migrateWhenReachable(vertx, config, jdbcUrl, connect, where, deadline, attempt + 1,
          Math.min(pauseMillis * 2, MAX_RETRY_MILLIS), migrated));
    });
  }

  /** A failure to connect (SQL state class 08, or "starting up"), as opposed to one from a server that answered. */
  private static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
        return true;
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The driver's own line (Flyway's wrapping message spans many lines and repeats the URL). */
  private static String oneLine(Throwable failure) {
    Throwable chosen = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        chosen = t;
      }
    }
    String message = chosen.getMessage() == null ? chosen.getClass().getSimpleName() : chosen.getMessage();
    return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(chosen.getClass().getSimpleName());
  }

  private static void migrate(String jdbcUrl, String user, String password, String vendor) {
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration/" + vendor)
        .load()
        .migrate();
  }
}
