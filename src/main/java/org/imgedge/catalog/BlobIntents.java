package org.imgedge.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code blob_intents} table: images whose blobs may exist without a row. An upload opens an intent
 * before it commits its blobs, and {@link CatalogRepository#insert} closes it in the transaction that
 * records the row; a delete opens one in the transaction that removes the row, and closes it once the
 * blobs are gone. A crash leaves the intent, and its blobs are then exactly what the sweep removes.
 */
public final class BlobIntents {

  /** Far longer than committing the blobs and recording the row take; past it a sweep may take over. */
  public static final long LEASE_MILLIS = 300_000;

  /** An intent the sweep may take over. */
  public record Intent(String imageId, String holder) {}

  static final String OPEN = "INSERT INTO blob_intents (image_id, holder, lease_expires_at) VALUES (?, ?, ?)";
  static final String CLOSE = "DELETE FROM blob_intents WHERE image_id = ? AND holder = ?";
  /** Leases that ran out, and any intent of an earlier run of this node, which no live process holds. */
  private static final String ABANDONED = """
      SELECT image_id, holder FROM blob_intents
       WHERE lease_expires_at < ? OR (holder LIKE ? AND holder NOT LIKE ?)
       ORDER BY image_id LIMIT ?""";
  private static final String TAKE_OVER =
      "UPDATE blob_intents SET holder = ?, lease_expires_at = ? WHERE image_id = ? AND holder = ?";

  private final Sql sql;

  public BlobIntents(Sql sql) {
    this.sql = sql;
  }

  public Future<Void> open(String imageId, IntentHolder holder, long now) {
    return sql.query(OPEN, Tuple.of(imageId, holder.toString(), now + LEASE_MILLIS)).mapEmpty();
  }

  public Future<Void> close(String imageId, IntentHolder holder) {
    return sql.query(CLOSE, Tuple.of(imageId, holder.toString())).mapEmpty();
  }

  public Future<List<Intent>> abandoned(long now, IntentHolder me, int limit) {
    return sql.query(ABANDONED, Tuple.of(now, me.node() + ":%", me + "%", limit)).map(rows -> {
      List<Intent> found = new ArrayList<>();
      rows.forEach(r -> found.add(new Intent(r.getString("image_id"), r.getString("holder"))));
      return found;
    });
  }

  /**
   * @param sweeper a holder of its own for this takeover (see {@link IntentHolder#sweeper}), never the
   *     uploads' one: an upload of this run whose lease ran out must find its intent gone
   * @return whether {@code sweeper} now holds it: false when its holder recorded, released or took it meanwhile
   */
  public Future<Boolean> takeOver(Intent intent, IntentHolder sweeper, long now) {
    return sql.query(TAKE_OVER, Tuple.of(sweeper.toString(), now + LEASE_MILLIS, intent.imageId(), intent.holder()))
        .map(rows -> rows.rowCount() == 1);
  }
}
