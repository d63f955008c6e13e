package org.imgedge.upload;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.imgedge.catalog.Dialect;
import org.imgedge.catalog.Sql;

/** The {@code tus_uploads} table: the shared, durable state of every resumable upload. */
final class TusRepository {

  private static final String COLUMNS = "id, owner, upload_length, upload_offset, parts, filename, filetype, expires_at, image_id";
  /**
   * A new row only while the owner has fewer than the cap of unfinished uploads: the count and the insert
   * are one statement, so parallel creations cannot all pass a count taken before any of them inserted.
   * The casts type the parameters, which PostgreSQL cannot infer in a SELECT list.
   */
  private static final String INSERT_UNDER_CAP = """
      INSERT INTO tus_uploads (id, owner, upload_length, upload_offset, parts, part_count, filename, filetype, expires_at, image_id)
      SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), 0, '', 0, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), NULL
       WHERE (SELECT COUNT(*) FROM tus_uploads WHERE owner = ? AND image_id IS NULL AND expires_at >= ?) < ?""";
  /**
   * PostgreSQL runs creations side by side, and under READ COMMITTED two of them would each count without
   * the other's row: this lock, held to the end of the transaction, makes one owner's creations take turns.
   */
  private static final String LOCK_OWNER = "SELECT pg_advisory_xact_lock(hashtext(?))";
  private static final String FIND = "SELECT " + COLUMNS + " FROM tus_uploads WHERE id = ?";
  /**
   * The compare-and-set that acknowledges a part: only from the offset its PATCH started at, so of two
   * PATCHes racing at one offset (two nodes, or a retry while the cut one still runs) exactly one wins;
   * only while the upload has not expired, so a PATCH cannot revive a row the sweep is freeing; and only
   * below the part cap, so the part list stays bounded. The part that brings the last byte also claims the
   * completion, so that its PATCH, not a HEAD arriving meanwhile, turns the bytes into the image and answers it.
   */
  private static final String ADVANCE = """
      UPDATE tus_uploads SET upload_offset = ?, expires_at = ?, part_count = part_count + 1,
             parts = CASE WHEN parts = '' THEN ? ELSE parts || ',' || ? END,
             completing_until = CASE WHEN upload_length = ? THEN ? ELSE completing_until END
       WHERE id = ? AND upload_offset = ? AND image_id IS NULL AND expires_at >= ? AND part_count < ?""";
  /** One node at a time turns the stored bytes into an image: the claim holds until its deadline. */
  private static final String CLAIM = """
      UPDATE tus_uploads SET completing_until = ?
       WHERE id = ? AND image_id IS NULL AND upload_offset = upload_length AND (completing_until IS NULL OR completing_until < ?)""";
  private static final String RELEASE = "UPDATE tus_uploads SET completing_until = NULL WHERE id = ? AND image_id IS NULL";
  private static final String COMPLETED = "UPDATE tus_uploads SET image_id = ?, parts = '', completing_until = NULL WHERE id = ?";
  private static final String DELETE = "DELETE FROM tus_uploads WHERE id = ?";
  private static final String DELETE_EXPIRED = "DELETE FROM tus_uploads WHERE id = ? AND expires_at < ?";
  private static final String EXPIRED = "SELECT id FROM tus_uploads WHERE expires_at < ? ORDER BY expires_at LIMIT ?";

  private final Sql sql;

  TusRepository(Sql sql) {
    this.sql = sql;
  }

  /** @return false, with nothing written, when {@code owner} already has {@code cap} unfinished uploads at {@code now} */
  Future<Boolean> insertUnderCap(String id, String owner, long length, String filename, String filetype, long expiresAt,
      long now, int cap) {
    Tuple args = Tuple.of(id, owner, length, filename, filetype, expiresAt).addString(owner).addLong(now).addLong((long) cap);
    if (sql.dialect() == Dialect.SQLITE) {
      // one writer connection: statements already run one after another
      return sql.query(INSERT_UNDER_CAP, args).map(rows -> rows.rowCount() == 1);
    }
    Dialect d = sql.dialect();
    return sql.transaction(conn -> conn.preparedQuery(d.sql(LOCK_OWNER)).execute(Tuple.of(owner))
        .compose(locked -> conn.preparedQuery(d.sql(INSERT_UNDER_CAP)).execute(args))
        .map(rows -> rows.rowCount() == 1));
  }

  Future<Optional<TusUpload>> find(String id) {
    return sql.query(FIND, Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(of(it.next())) : Optional.empty();
    });
  }

  /**
   * @param claimUntil the completion's claim deadline, set when {@code to} is the upload's length
   * @return false when the offset was no longer {@code from} (another PATCH won), the upload is gone or
   *     expired at {@code now}, or it already has {@code maxParts} parts
   */
  Future<Boolean> advance(String id, long from, long to, String part, long expiresAt, long claimUntil, long now, int maxParts) {
    return sql.query(ADVANCE, Tuple.of(to, expiresAt, part, part, to, claimUntil).addString(id).addLong(from).addLong(now)
            .addLong((long) maxParts))
        .map(rows -> rows.rowCount() == 1);
  }

  /** @return true when this caller may complete the upload until {@code until}; false when another holds it */
  Future<Boolean> claimCompletion(String id, long until, long now) {
    return sql.query(CLAIM, Tuple.of(until, id, now)).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> releaseCompletion(String id) {
    return sql.query(RELEASE, Tuple.of(id)).mapEmpty();
  }

  Future<Void> completed(String id, String imageId) {
    return sql.query(COMPLETED, Tuple.of(imageId, id)).mapEmpty();
  }

  Future<Void> delete(String id) {
    return sql.query(DELETE, Tuple.of(id)).mapEmpty();
  }

  /** @return false when the row is gone or no longer expired at {@code now} (a PATCH extended it) */
  Future<Boolean> deleteExpired(String id, long now) {
    return sql.query(DELETE_EXPIRED, Tuple.of(id, now)).map(rows -> rows.rowCount() == 1);
  }

  Future<List<String>> expired(long now, int limit) {
    return sql.query(EXPIRED, Tuple.of(now, limit)).map(rows -> {
      List<String> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.getString("id")));
      return ids;
    });
  }

  private static TusUpload of(Row r) {
    String parts = r.getString("parts");
    return new TusUpload(r.getString("id"), r.getString("owner"), r.getLong("upload_length"), r.getLong("upload_offset"),
        parts.isEmpty() ? List.of() : Arrays.asList(parts.split(",")), r.getString("filename"), r.getString("filetype"),
        r.getLong("expires_at"), r.getString("image_id"));
  }
}
