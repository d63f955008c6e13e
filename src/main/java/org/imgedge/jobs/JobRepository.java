package org.imgedge.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.imgedge.catalog.AnalysisStatus;
import org.imgedge.catalog.CatalogChanges;
import org.imgedge.catalog.Sql;

/**
 * The queue's SQL, for both databases. The queue is the images table: a row with analysis status
 * {@code pending} (or {@code processing} with an expired lease) and {@code available_at} in the past
 * is claimable; {@code job_id} is the lease token of the current holder. The {@code jobs} table is a
 * ledger of every job id handed out, so that a stale id can be told from one never issued.
 */
final class JobRepository {

  /**
   * Takes the oldest claimable image in one statement, so two claims can never take the same row:
   * PostgreSQL locks the pick and makes concurrent claims skip it; SQLite runs one write at a time.
   * Ids are UUIDv7, so {@code ORDER BY id} is upload order.
   */
  private static final String CLAIM = """
      UPDATE images
         SET analysis_status = 'processing', job_id = ?, lease_expires_at = ?, analysis_attempts = analysis_attempts + 1
       WHERE id = (SELECT id FROM images
                    WHERE analysis_status IN ('pending', 'processing')
                      AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                      AND available_at <= ?
                      AND analysis_attempts < ?
                    ORDER BY id
                    LIMIT 1%s)
      RETURNING id, owner, analysis_attempts""";

  private static final String RECORD_JOB = "INSERT INTO jobs (job_id, image_id, attempt, claimed_at) VALUES (?, ?, ?, ?)";

  private static final String ATTEMPT = "SELECT attempt FROM jobs WHERE job_id = ?";

  // Both match on the lease token alone: a new claim replaces it, which is what makes an old one stale.
  private static final String COMPLETE = """
      UPDATE images SET analysis_status = 'done', analysis_result = ?, analysis_error = NULL,
                        job_id = NULL, lease_expires_at = NULL
       WHERE job_id = ?
      RETURNING owner""";

  private static final String FAIL = """
      UPDATE images SET analysis_status = ?, analysis_error = ?, available_at = ?, job_id = NULL, lease_expires_at = NULL
       WHERE job_id = ?
      RETURNING owner""";

  /** Leases that expired on the last allowed attempt: no claim will take them again, so they are over. */
  private static final String GIVE_UP_EXPIRED = """
      UPDATE images SET analysis_status = 'failed', analysis_error = ?, job_id = NULL, lease_expires_at = NULL
       WHERE analysis_status = 'processing' AND lease_expires_at < ? AND analysis_attempts >= ?
      RETURNING owner""";

  private static final String STATS =
      "SELECT analysis_status, COUNT(*) AS n, MIN(created_at) AS oldest FROM images GROUP BY analysis_status";

  private final Sql sql;
  private final CatalogChanges changes;

  /** @param changes told whose image changed analysis status, after each write committed */
  JobRepository(Sql sql, CatalogChanges changes) {
    this.sql = sql;
    this.changes = changes;
  }

  /** @return the new lease, or empty when no image is claimable */
  Future<Optional<Job>> claim(String jobId, long now, long leaseUntil, int maxAttempts) {
    // The ledger row is written in the same transaction as the lease, so every lease has one.
    String[] owner = {null};
    String claimSql = sql.dialect().sql(CLAIM.formatted(sql.dialect().lockSkippingLocked()));
    return sql.transaction(conn -> conn.preparedQuery(claimSql)
        .execute(Tuple.of(jobId, leaseUntil, now, now, maxAttempts))
        .compose(rows -> {
          if (!rows.iterator().hasNext()) {
            return Future.succeededFuture(Optional.<Job>empty());
          }
          Row row = rows.iterator().next();
          owner[0] = row.getString("owner");
          Job job = new Job(jobId, row.getString("id"), row.getInteger("analysis_attempts"), Instant.ofEpochMilli(leaseUntil));
          return conn.preparedQuery(sql.dialect().sql(RECORD_JOB))
              .execute(Tuple.of(jobId, job.imageId(), job.attempt(), now))
              .map(v -> Optional.of(job));
        }))
        .onSuccess(job -> job.ifPresent(j -> changes.ownerChanged(owner[0]))); // committed: pending -> processing
  }

  /** @return the attempt the job was issued for, or empty when this id was never issued */
  Future<Optional<Integer>> attempt(String jobId) {
    return sql.query(ATTEMPT, Tuple.of(jobId)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(it.next().getInteger("attempt")) : Optional.empty();
    });
  }

  /** @return false when {@code jobId} is not the current lease of any image */
  Future<Boolean> complete(String jobId, JsonObject result) {
    return sql.query(COMPLETE, Tuple.of(result.encode(), jobId)).map(this::ownersChanged).map(n -> n == 1);
  }

  /**
   * @param status       {@code pending} to retry, {@code failed} to give up
   * @param availableAt  epoch ms before which no claim takes the image again
   * @return false when {@code jobId} is not the current lease of any image
   */
  Future<Boolean> fail(String jobId, AnalysisStatus status, String error, long availableAt) {
    return sql.query(FAIL, Tuple.of(status.wire(), error, availableAt, jobId)).map(this::ownersChanged).map(n -> n == 1);
  }

  /** @return how many images were given up on */
  Future<Integer> giveUpExpired(long now, int maxAttempts) {
    return sql.query(GIVE_UP_EXPIRED, Tuple.of("The lease of the last attempt expired without a result.", now, maxAttempts))
        .map(this::ownersChanged);
  }

  Future<JobStats> stats(long now) {
    return sql.query(STATS, Tuple.tuple()).map(rows -> {
      Map<AnalysisStatus, Long> counts = new EnumMap<>(AnalysisStatus.class);
      long oldestAge = 0;
      for (Row r : rows) {
        AnalysisStatus status = AnalysisStatus.fromWire(r.getString("analysis_status"));
        counts.put(status, r.getLong("n"));
        if (status == AnalysisStatus.PENDING) {
          oldestAge = Math.max(0, (now - r.getLong("oldest")) / 1000);
        }
      }
      return new JobStats(Map.copyOf(counts), oldestAge);
    });
  }

  /** Tells of each changed row's owner (the statements return them); @return how many rows changed */
  private int ownersChanged(RowSet<Row> rows) {
    rows.forEach(r -> changes.ownerChanged(r.getString("owner")));
    return rows.size();
  }
}
