package org.imgedge.upload;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.imgedge.catalog.Sql;

/** The {@code tus_uploads} table: the shared, durable state of every resumable upload. */
final class TusRepository {

  private static final String COLUMNS = "id, owner, upload_length, upload_offset, parts, filename, filetype, expires_at, image_id";
  private static final String INSERT = "INSERT INTO tus_uploads (" + COLUMNS + ") VALUES (?, ?, ?, 0, '', ?, ?, ?, NULL)";
  private static final String FIND = "SELECT " + COLUMNS + " FROM tus_uploads WHERE id = ?";
  private static final String UNFINISHED = "SELECT COUNT(*) AS n FROM tus_uploads WHERE owner = ? AND image_id IS NULL AND expires_at >= ?";
  /**
   * The compare-and-set that acknowledges a part: only from the offset its PATCH started at, so of two
   * PATCHes racing at one offset (two nodes, or a retry while the cut one still runs) exactly one wins.
   */
  private static final String ADVANCE = """
      UPDATE tus_uploads SET upload_offset = ?, expires_at = ?,
             parts = CASE WHEN parts = '' THEN ? ELSE parts || ',' || ? END
       WHERE id = ? AND upload_offset = ? AND image_id IS NULL""";
  private static final String COMPLETED = "UPDATE tus_uploads SET image_id = ?, parts = '' WHERE id = ?";
  private static final String DELETE = "DELETE FROM tus_uploads WHERE id = ?";
  private static final String EXPIRED = "SELECT id FROM tus_uploads WHERE expires_at < ? ORDER BY expires_at LIMIT ?";

  private final Sql sql;

  TusRepository(Sql sql) {
    this.sql = sql;
  }

  Future<Void> insert(String id, String owner, long length, String filename, String filetype, long expiresAt) {
    return sql.query(INSERT, Tuple.of(id, owner, length, filename, filetype, expiresAt)).mapEmpty();
  }

  Future<Optional<TusUpload>> find(String id) {
    return sql.query(FIND, Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(of(it.next())) : Optional.empty();
    });
  }

  /** Unfinished uploads of {@code owner} that have not expired at {@code now}. */
  Future<Long> unfinished(String owner, long now) {
    return sql.query(UNFINISHED, Tuple.of(owner, now)).map(rows -> rows.iterator().next().getLong("n"));
  }

  /** @return false when the offset was no longer {@code from} (another PATCH won), or the upload is gone */
  Future<Boolean> advance(String id, long from, long to, String part, long expiresAt) {
    return sql.query(ADVANCE, Tuple.of(to, expiresAt, part, part, id, from)).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> completed(String id, String imageId) {
    return sql.query(COMPLETED, Tuple.of(imageId, id)).mapEmpty();
  }

  Future<Void> delete(String id) {
    return sql.query(DELETE, Tuple.of(id)).mapEmpty();
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
