package org.imgedge.presets;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import org.imgedge.catalog.IntentHolder;
import org.imgedge.catalog.Sql;

/**
 * The {@code regeneration} row: one node at a time holds it (a lease it renews with every step), and
 * it records the progress. A node that dies leaves the lease to expire; its next run takes it over at once.
 */
final class RegenerationLease {

  /** Far longer than one step (a few images) takes; past it another node may take over. */
  static final long LEASE_MILLIS = 300_000;

  private static final String COLUMNS = "preset_set, holder, lease_expires_at, started_at, updated_at, finished_at,"
      + " images_done, images_failed, images_remaining, last_error";
  /**
   * Free, expired, or held by this node: by an earlier run, which no live process holds, or by this run
   * after a run of it failed (a node runs one at a time).
   */
  private static final String TAKE = "UPDATE regeneration SET holder = ?, lease_expires_at = ?"
      + " WHERE id = 1 AND (holder IS NULL OR lease_expires_at < ? OR holder LIKE ?)";
  /** A new preset set starts the counts again; the same set (a run that was cut off) keeps what was done. */
  private static final String BEGIN = "UPDATE regeneration SET started_at = CASE WHEN preset_set = ? THEN started_at ELSE ? END,"
      + " images_done = CASE WHEN preset_set = ? THEN images_done ELSE 0 END, preset_set = ?, images_failed = 0,"
      + " images_remaining = ?, finished_at = NULL, last_error = NULL, updated_at = ? WHERE id = 1 AND holder = ?";
  private static final String STEP = "UPDATE regeneration SET images_done = images_done + ?, images_failed = images_failed + ?,"
      + " images_remaining = images_remaining - ?, last_error = COALESCE(?, last_error), updated_at = ?, lease_expires_at = ?"
      + " WHERE id = 1 AND holder = ?";
  private static final String FINISH = "UPDATE regeneration SET holder = NULL, lease_expires_at = 0, finished_at = ?,"
      + " images_remaining = ?, updated_at = ? WHERE id = 1 AND holder = ?";
  private static final String RELEASE = "UPDATE regeneration SET holder = NULL, lease_expires_at = 0 WHERE id = 1 AND holder = ?";

  private final Sql sql;
  private final IntentHolder me;

  RegenerationLease(Sql sql, IntentHolder me) {
    this.sql = sql;
    this.me = me;
  }

  Future<RegenerationStatus> status() {
    return sql.query("SELECT " + COLUMNS + " FROM regeneration WHERE id = 1", Tuple.tuple())
        .map(rows -> RegenerationStatus.of(rows.iterator().next()));
  }

  /** Whether another node runs the regeneration now. */
  boolean heldByOthers(RegenerationStatus status, long now) {
    return status.runningAt(now) && !status.holder().startsWith(me.node() + ":");
  }

  /** @return whether this run now holds the lease */
  Future<Boolean> take(long now) {
    return sql.query(TAKE, Tuple.of(me.toString(), now + LEASE_MILLIS, now, me.node() + ":%"))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> begin(String presetSet, long remaining, long now) {
    return held(sql.query(BEGIN, Tuple.of(presetSet, now, presetSet, presetSet, remaining, now, me.toString())));
  }

  /**
   * Records one image, brought up to date or failed ({@code error}), and renews the lease.
   *
   * @return false when the lease was lost meanwhile
   */
  Future<Boolean> image(String error, long now) {
    long done = error == null ? 1 : 0;
    return held(sql.query(STEP, Tuple.of(done, 1 - done, done, error, now, now + LEASE_MILLIS, me.toString())));
  }

  Future<Boolean> finish(long remaining, long now) {
    return held(sql.query(FINISH, Tuple.of(now, remaining, now, me.toString())));
  }

  Future<Void> release() {
    return sql.query(RELEASE, Tuple.of(me.toString())).mapEmpty();
  }

  private static Future<Boolean> held(Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> update) {
    return update.map(rows -> rows.rowCount() == 1);
  }
}
