package org.imgedge.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.imgedge.support.ConnectionLoss;
import org.imgedge.support.Ids;

/** The catalog over a Vert.x SQL {@link Pool}: the same code for SQLite (JDBC) and PostgreSQL. */
final class SqlCatalogRepository implements CatalogRepository {

  private static final String COLUMNS =
      "id, owner, created_at, content_type, bytes, width, height, sha256, metadata, variants, analysis_status, analysis_result,"
      + " thumbhash";
  /** The job queue (org.imgedge.jobs) writes the analysis columns; the catalog only reads them. */
  private static final String READ = COLUMNS + ", analysis_error";

  /**
   * The row, only while its blob intent is still the upload's own: in one statement, so that no sweep can
   * take the intent over between the check and the insert. PostgreSQL also locks the intent row until the
   * insert commits, so a sweep that takes it over afterwards finds the row and keeps the blobs. The casts
   * give PostgreSQL the parameters' types, which a SELECT list does not.
   */
  private static final String INSERT_HOLDING = "INSERT INTO images (" + COLUMNS + ", preset_set)"
      + " SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS INTEGER),"
      + " CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
      + " CAST(? AS TEXT), CAST(? AS TEXT)"
      + " WHERE EXISTS (SELECT 1 FROM blob_intents WHERE image_id = ? AND holder = ?%s)";

  /**
   * "preset_set <> ?" as two ranges, which the index on (preset_set, id) answers without reading the
   * images that are current (nearly all of them, once a regeneration is done) when counting; a page of
   * {@link #outdated} walks that index from its position, and reads the current ones at most once a run.
   */
  private static final String OUTDATED = "(preset_set < ? OR preset_set > ?)";

  private static final String RECORD_PURGE =
      "INSERT INTO cdn_purges (image_id, target, method, url, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)";

  private final Sql sql;
  private final CatalogChanges changes;

  SqlCatalogRepository(Sql sql, CatalogChanges changes) {
    this.sql = sql;
    this.changes = changes;
  }

  @Override
  public Future<Optional<Image>> find(String id) {
    return sql.query("SELECT " + READ + " FROM images WHERE id = ?", Tuple.of(id)).map(SqlCatalogRepository::first);
  }

  @Override
  public Future<Optional<Image>> findByOwnerAndSha(String owner, String sha256) {
    return sql.query("SELECT " + READ + " FROM images WHERE owner = ? AND sha256 = ?", Tuple.of(owner, sha256))
        .map(SqlCatalogRepository::first);
  }

  @Override
  public Future<Page> list(String owner, String cursor, int limit) {
    String afterId;
    try {
      afterId = cursor == null ? null : decodeCursor(cursor);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<String> where = new ArrayList<>();
    Tuple args = Tuple.tuple();
    if (owner != null) {
      where.add("owner = ?");
      args.addString(owner);
    }
    if (afterId != null) {
      where.add("id < ?");
      args.addString(afterId);
    }
    args.addInteger(limit + 1); // one more than asked tells whether a next page exists
    String select = "SELECT " + READ + " FROM images"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT ?";
    return sql.query(select, args).map(rows -> {
      List<Image> items = new ArrayList<>();
      rows.forEach(r -> items.add(toImage(r)));
      if (items.size() <= limit) {
        return new Page(items, null);
      }
      List<Image> page = List.copyOf(items.subList(0, limit));
      return new Page(page, encodeCursor(page.get(limit - 1).id()));
    });
  }

  @Override
  public Future<Void> insert(Image image, IntentHolder holder) {
    Image.Original o = image.original();
    Tuple args = Tuple.of(image.id(), image.owner(), image.createdAt().toEpochMilli(), o.contentType(), o.bytes(),
            o.width(), o.height(), o.sha256())
        .addString(image.metadata().encode())
        .addString(variantsJson(image.variants()).encode())
        .addString(image.analysisStatus().wire())
        .addString(image.analysisResult() == null ? null : image.analysisResult().encode())
        .addString(image.thumbHash())
        .addString(Variant.fingerprint(image.variants().values(), image.thumbHash() != null))
        .addString(image.id())
        .addString(holder.toString());
    Dialect dialect = sql.dialect();
    return sql.query(INSERT_HOLDING.formatted(dialect.lockShared()), args)
        .recover(e -> Future.failedFuture(dialect.isUniqueViolation(e) ? new DuplicateImageException()
            // a statement cut off by its deadline may still commit later, as one whose connection dropped
            : ConnectionLoss.isDropped(e) || e instanceof DatabaseTimeoutException ? new OutcomeUnknownException(e) : e))
        .compose(inserted -> inserted.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IntentLostException(image.id())))
        .onSuccess(v -> changes.ownerChanged(image.owner()))
        // recorded: the intent has done its job. Should closing it fail, the sweep closes it and keeps the blobs.
        .onSuccess(v -> sql.query(BlobIntents.CLOSE, Tuple.of(image.id(), holder.toString())));
  }

  @Override
  public Future<Boolean> delete(String id, List<PurgeRequest> purges, IntentHolder holder) {
    long now = System.currentTimeMillis();
    Dialect dialect = sql.dialect();
    return sql.transaction(conn -> conn.preparedQuery(dialect.sql("DELETE FROM images WHERE id = ? RETURNING owner"))
            .execute(Tuple.of(id))
            .compose(rows -> rows.size() == 0 ? Future.succeededFuture(rows)
                : conn.preparedQuery(dialect.sql(BlobIntents.OPEN))
                    .execute(Tuple.of(id, holder.toString(), now + BlobIntents.LEASE_MILLIS))
                    .compose(opened -> recordPurges(conn, id, purges, now))
                    .map(rows)))
        .map(this::ownersChanged);
  }

  @Override
  public Future<Boolean> updateVariants(String id, Map<String, Variant> variants, String thumbHash, List<PurgeRequest> purges) {
    Dialect dialect = sql.dialect();
    // a placeholder once made is kept: null here means "none made this time", never "remove it"
    String update = "UPDATE images SET variants = ?, thumbhash = COALESCE(?, thumbhash),"
        + " preset_set = CASE WHEN COALESCE(?, thumbhash) IS NULL THEN ? ELSE ? END WHERE id = ? RETURNING owner";
    Collection<Variant> all = variants.values();
    return sql.transaction(conn -> conn.preparedQuery(dialect.sql(update))
            .execute(Tuple.of(variantsJson(variants).encode(), thumbHash, thumbHash, Variant.fingerprint(all, false),
                Variant.fingerprint(all, true), id))
            .compose(rows -> rows.size() == 0 ? Future.succeededFuture(rows)
                : recordPurges(conn, id, purges, System.currentTimeMillis()).map(rows)))
        .map(this::ownersChanged);
  }

  /** The CDN purges an image's change owes, in the transaction of that change (see {@link PurgeRequest}). */
  private Future<Void> recordPurges(SqlConnection conn, String id, List<PurgeRequest> purges, long now) {
    if (purges.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = purges.stream().map(p -> Tuple.of(id, p.target(), p.method(), p.url(), now, now)).toList();
    return conn.preparedQuery(sql.dialect().sql(RECORD_PURGE)).executeBatch(rows).mapEmpty();
  }

  /** Tells of each changed row's owner (the statements return them); @return whether a row changed */
  private boolean ownersChanged(RowSet<Row> rows) {
    rows.forEach(r -> changes.ownerChanged(r.getString("owner")));
    return rows.size() > 0;
  }

  @Override
  public Future<OutdatedPage> outdated(String fingerprint, OutdatedPage.Position after, int limit) {
    String select = "SELECT " + READ + ", preset_set FROM images WHERE " + OUTDATED
        + " AND (preset_set, id) > (?, ?) ORDER BY preset_set, id LIMIT ?";
    return sql.query(select, Tuple.of(fingerprint, fingerprint, after.presetSet(), after.id(), limit)).map(rows -> {
      List<Image> images = new ArrayList<>();
      OutdatedPage.Position next = after;
      for (Row r : rows) {
        images.add(toImage(r));
        next = new OutdatedPage.Position(r.getString("preset_set"), r.getString("id"));
      }
      return new OutdatedPage(images, next);
    });
  }

  @Override
  public Future<Long> countOutdated(String fingerprint) {
    return sql.query("SELECT COUNT(*) AS n FROM images WHERE " + OUTDATED, Tuple.of(fingerprint, fingerprint))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  @Override
  public Future<Set<String>> existing(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
    return sql.query("SELECT id FROM images WHERE id IN (" + marks + ")", Tuple.wrap(new ArrayList<Object>(ids)))
        .map(rows -> {
          Set<String> found = new HashSet<>();
          rows.forEach(r -> found.add(r.getString("id")));
          return found;
        });
  }

  @Override
  public Future<Void> ping() {
    return sql.query("SELECT 1", Tuple.tuple()).mapEmpty();
  }

  private static Optional<Image> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toImage(it.next())) : Optional.empty();
  }

  private static Image toImage(Row r) {
    Map<String, Variant> variants = new LinkedHashMap<>();
    for (Object o : new JsonArray(r.getString("variants"))) {
      Variant v = Variant.fromJson((JsonObject) o);
      variants.put(v.preset(), v);
    }
    String result = r.getString("analysis_result");
    return new Image(
        r.getString("id"),
        r.getString("owner"),
        Instant.ofEpochMilli(r.getLong("created_at")),
        new Image.Original(r.getString("content_type"), r.getLong("bytes"), r.getInteger("width"), r.getInteger("height"),
            r.getString("sha256")),
        new JsonObject(r.getString("metadata")),
        variants,
        AnalysisStatus.fromWire(r.getString("analysis_status")),
        result == null ? null : new JsonObject(result),
        r.getString("analysis_error"),
        r.getString("thumbhash"));
  }

  private static JsonArray variantsJson(Map<String, Variant> variants) {
    JsonArray array = new JsonArray();
    variants.values().forEach(v -> array.add(v.toJson()));
    return array;
  }

  /** Cursors are opaque to clients: the last id of the page, base64url-encoded. */
  static String encodeCursor(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
  }

  static String decodeCursor(String cursor) {
    String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    if (!Ids.isWellFormed(id)) {
      throw new IllegalArgumentException("not a cursor of this service");
    }
    return id;
  }
}
