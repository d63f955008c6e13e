package org.imgedge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database commits every statement that is not part of a transaction, also after a
 * transaction ran on the same pooled connection: another connection (or the next process) sees it.
 */
class SqliteCommitTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("writes after a committed or rolled-back transaction are committed at once")
  void writesAfterATransactionAreCommitted() throws Exception {
    Pool pool = await(Database.open(vertx, new DatabaseConfig(null, 1, 1000, 1000, 5000, 30), dir)).pool();
    await(pool.query("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute());
    await(pool.withTransaction(c -> c.preparedQuery("INSERT INTO t VALUES (?)").execute(Tuple.of(1))));
    await(pool.preparedQuery("INSERT INTO t VALUES (?)").execute(Tuple.of(2)));
    assertThat(committedRows()).as("seen from another connection after a commit").isEqualTo(2);

    Future<?> rolledBack = pool.withTransaction(c -> c.preparedQuery("INSERT INTO t VALUES (?)").execute(Tuple.of(3))
        .compose(v -> Future.failedFuture("roll back")));
    assertThat(rolledBack.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS)).isNotNull();
    await(pool.preparedQuery("INSERT INTO t VALUES (?)").execute(Tuple.of(4)));
    assertThat(committedRows()).as("seen from another connection after a rollback").isEqualTo(3);
  }

  private long committedRows() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("imgedge.db"));
        ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
