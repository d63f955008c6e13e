package org.imgedge.cdn;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.imgedge.catalog.Sql;

/**
 * The pending purges ({@code cdn_purges}), which the catalog writes with each delete. Any node takes due
 * rows with a lease, so each call is made by one node at a time, and a node that dies holding a lease
 * only delays its rows until the lease runs out.
 */
final class PurgeOutbox {

  /** A purge call taken for sending, and how many times it has been taken so far. */
  record Pending(long id, String imageId, String target, String method, String url, int attempts) {}

  /** What /metrics shows of the outbox. */
  record Stats(long pending, long failing, long oldestAgeSeconds) {
    static final Stats NONE = new Stats(0, 0, 0);
  }

  private static final String TAKE = """
      UPDATE cdn_purges SET next_attempt_at = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM cdn_purges WHERE next_attempt_at <= ? ORDER BY id LIMIT ?%s)
      RETURNING id, image_id, target, method, url, attempts""";

  private static final String DONE = "DELETE FROM cdn_purges WHERE id = ?";

  private static final String RETRY = "UPDATE cdn_purges SET next_attempt_at = ?, last_error = ? WHERE id = ?";

  private static final String STATS = """
      SELECT COUNT(*) AS pending,
             COALESCE(SUM(CASE WHEN last_error IS NULL THEN 0 ELSE 1 END), 0) AS failing,
             MIN(created_at) AS oldest
        FROM cdn_purges""";

  private final Sql sql;
  private final String take;

  PurgeOutbox(Sql sql) {
    this.sql = sql;
    this.take = TAKE.formatted(sql.dialect().lockSkippingLocked());
  }

  /** Takes up to {@code limit} due rows, which no other node takes again before {@code leaseUntil}. */
  Future<List<Pending>> take(long now, long leaseUntil, int limit) {
    return sql.query(take, Tuple.of(leaseUntil, now, limit)).map(rows -> {
      List<Pending> taken = new ArrayList<>();
      rows.forEach(r -> taken.add(new Pending(r.getLong("id"), r.getString("image_id"), r.getString("target"),
          r.getString("method"), r.getString("url"), r.getInteger("attempts"))));
      return taken;
    });
  }

  Future<Void> done(long id) {
    return sql.query(DONE, Tuple.of(id)).mapEmpty();
  }

  Future<Void> retryAt(long id, long at, String error) {
    return sql.query(RETRY, Tuple.of(at, error, id)).mapEmpty();
  }

  Future<Stats> stats(long now) {
    return sql.query(STATS, Tuple.tuple()).map(rows -> {
      Row r = rows.iterator().next();
      Long oldest = r.getLong("oldest");
      return new Stats(r.getLong("pending"), r.getLong("failing"), oldest == null ? 0 : Math.max(0, (now - oldest) / 1000));
    });
  }
}
