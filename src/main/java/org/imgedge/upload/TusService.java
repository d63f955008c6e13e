package org.imgedge.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.imgedge.auth.Principal;
import org.imgedge.catalog.Sql;
import org.imgedge.http.DeclaredBody;
import org.imgedge.ingest.IngestService;
import org.imgedge.ingest.Upload;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.storage.PartStore;
import org.imgedge.support.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads (tus 1.0): creates them, appends PATCH bodies as durable parts, and once the last
 * byte is in, hands the whole file to the same {@link IngestService} as a direct upload. Every step
 * reads and writes the shared row, so any node can take the next PATCH.
 */
public final class TusService {

  private static final Logger log = LoggerFactory.getLogger(TusService.class);
  private final Vertx vertx;
  private final TusRepository repository;
  private final PartStore parts;
  private final IngestService ingest;
  private final UploadsConfig config;
  private final Path staging;
  /**
   * How long a completion's claim holds: well past the ingest of the largest upload, and short enough that
   * an upload whose node died while completing it is completed by a HEAD soon after.
   */
  private static final long CLAIM_MILLIS = 10 * 60 * 1000;
  private final long maxUploadBytes;

  /** @param staging a local folder for bodies being received and for the assembled file */
  public TusService(Vertx vertx, Sql sql, PartStore parts, IngestService ingest, UploadsConfig config, Path staging,
      long maxUploadBytes) {
    this.vertx = vertx;
    this.repository = new TusRepository(sql);
    this.parts = parts;
    this.ingest = ingest;
    this.config = config;
    this.staging = staging;
    this.maxUploadBytes = maxUploadBytes;
  }

  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /** The sweep that frees expired uploads, for the caller to schedule. */
  public TusSweep sweep() {
    return new TusSweep(repository, parts);
  }

  /**
   * A new upload of {@code length} bytes: 413 past {@code limits.maxUploadBytes}, 429 when the owner
   * already has {@code uploads.maxPartial} unfinished ones.
   */
  public Future<TusUpload> create(Principal principal, long length, String filename, String filetype) {
    if (length > maxUploadBytes) {
      return Future.failedFuture(AppException.of(ProblemType.PAYLOAD_TOO_LARGE,
          "Upload-Length is larger than the upload limit of " + maxUploadBytes + " bytes."));
    }
    String owner = principal.subject();
    long now = System.currentTimeMillis();
    String id = Ids.next();
    long expiresAt = now + config.expireSeconds() * 1000;
    return repository.insertUnderCap(id, owner, length, filename, filetype, expiresAt, now, config.maxPartial()).compose(inserted -> {
      if (!inserted) {
        // an upload frees its place when it completes, is terminated or expires; a minute is a fair wait
        return Future.failedFuture(AppException.retryLater(ProblemType.TOO_MANY_PARTIAL_UPLOADS, "You already have "
            + config.maxPartial() + " unfinished uploads, the limit: finish or terminate one first.", 60));
      }
      return Future.succeededFuture(new TusUpload(id, owner, length, 0, List.of(), filename, filetype, expiresAt, null));
    });
  }

  /**
   * The upload as HEAD reports it. One whose last byte is stored but whose image is not recorded (its
   * completion failed, or its node died) is completed now, so the client learns the image's id; while
   * another request holds the completion, it is reported as it is, all bytes stored and no image yet.
   */
  public Future<TusUpload> status(Principal principal, String id) {
    return visible(principal, id).compose(u -> u.allBytesStored() && u.imageId() == null ? complete(u, principal)
        : Future.succeededFuture(u));
  }

  /**
   * Appends the body of {@code request} at {@code offset}, and completes the upload when that was its
   * last byte. The request must be paused by the caller until this is called.
   *
   * @param checksum null when the client sent none
   * @return the upload after the append; 409 when {@code offset} is not the upload's, 413 past its
   *     length or its {@code uploads.maxParts}, 460 when the checksum does not match (nothing of the body
   *     kept), 404 when the upload was terminated or expired while the body arrived (nothing kept either)
   */
  public Future<TusUpload> append(Principal principal, String id, long offset, Checksum checksum, HttpServerRequest request) {
    return visible(principal, id).compose(u -> append(principal, u, offset, checksum, request));
  }

  /** Same as {@link #append(Principal, String, long, Checksum, HttpServerRequest)} on an upload the caller already holds (just created). */
  public Future<TusUpload> append(Principal principal, TusUpload u, long offset, Checksum checksum, HttpServerRequest request) {
    if (u.imageId() != null || offset != u.offset()) {
      return Future.failedFuture(AppException.of(ProblemType.UPLOAD_OFFSET_MISMATCH, "Upload-Offset is " + offset
          + " but the upload has " + u.offset() + " bytes" + (u.imageId() != null ? " and is complete." : ": ask HEAD and resume from there.")));
    }
    long remaining = u.length() - u.offset();
    if (DeclaredBody.longerThan(request, remaining)) {
      return Future.failedFuture(AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body goes past Upload-Length: this upload lacks only "
          + remaining + " bytes."));
    }
    if (u.parts().size() >= config.maxParts() && remaining > 0) {
      return Future.failedFuture(tooManyParts());
    }
    return PatchBody.receive(vertx, request, staging, remaining, checksum == null ? null : checksum.digest())
        .compose(received -> store(u, checksum, received))
        .compose(stored -> {
          if (!stored.allBytesStored()) {
            return Future.succeededFuture(stored);
          }
          // the part that brought the last byte claimed the completion with its advance: this request answers the image
          return stored.offset() > u.offset() ? ingestClaimed(stored, principal) : complete(stored, principal);
        });
  }

  /**
   * Removes the upload and its bytes; the image of a completed one stays. The row goes first, so a PATCH
   * arriving meanwhile cannot acknowledge a part after the parts were deleted (see {@link TusSweep}).
   */
  public Future<Void> terminate(Principal principal, String id) {
    return visible(principal, id).compose(u -> forget(u.id()));
  }

  private Future<Void> forget(String id) {
    return repository.delete(id).compose(v -> parts.deleteAll(id));
  }

  private Future<TusUpload> store(TusUpload u, Checksum checksum, PatchBody.Received received) {
    if (checksum != null && (!received.whole() || !checksum.matches(received.digest()))) {
      // a cut body cannot be checked against the digest of the whole one: nothing of it is kept
      return PatchBody.discard(vertx, received).compose(v -> Future.failedFuture(received.whole()
          ? AppException.of(ProblemType.CHECKSUM_MISMATCH, "The body's " + checksum.algorithm() + " is not the one in Upload-Checksum.")
          : AppException.of(ProblemType.BAD_REQUEST, "The body was not received completely.")));
    }
    if (received.bytes() == 0) {
      return PatchBody.discard(vertx, received).map(u);
    }
    String part = String.format("%019d-%s", u.offset(), UUID.randomUUID().toString().substring(0, 8));
    long to = u.offset() + received.bytes();
    long now = System.currentTimeMillis();
    long expiresAt = now + config.expireSeconds() * 1000;
    return parts.put(u.id(), part, received.file())
        .eventually(() -> PatchBody.discard(vertx, received))
        .compose(v -> repository.advance(u.id(), u.offset(), to, part, expiresAt, now + CLAIM_MILLIS, now, config.maxParts()))
        .compose(won -> {
          if (!won) {
            // the row no longer takes this part: no row will ever name it, so it goes now
            return parts.delete(u.id(), part).compose(v -> lostAdvance(u));
          }
          List<String> names = new ArrayList<>(u.parts());
          names.add(part);
          return Future.succeededFuture(new TusUpload(u.id(), u.owner(), u.length(), to, names, u.filename(), u.filetype(),
              expiresAt, null));
        });
  }

  /** Why the advance of a stored part did not win, read from the row as it is now. */
  private Future<TusUpload> lostAdvance(TusUpload u) {
    long now = System.currentTimeMillis();
    return repository.find(u.id()).compose(found -> {
      if (found.isEmpty() || found.get().expiresAt() < now) {
        // terminated, expired or swept while the body was arriving
        return Future.failedFuture(notFound());
      }
      if (found.get().offset() == u.offset() && found.get().imageId() == null && found.get().parts().size() >= config.maxParts()) {
        return Future.failedFuture(tooManyParts());
      }
      return Future.failedFuture(AppException.of(ProblemType.UPLOAD_OFFSET_MISMATCH,
          "Another request appended to this upload meanwhile: ask HEAD for the offset."));
    });
  }

  /**
   * Assembles the parts and ingests the file as a direct upload would be, once the row's completion is
   * claimed: while another request holds it, the upload is answered as it stands (all bytes, no image
   * yet). An image the ingest refuses (not an image, too many pixels, undecodable) ends the upload with
   * nothing kept; any other failure re-reads the row: a missing part may mean another request recorded
   * the image (it is answered) or terminated the upload (404); else the claim is let go, for the next
   * HEAD or a retry to complete.
   */
  private Future<TusUpload> complete(TusUpload u, Principal owner) {
    long now = System.currentTimeMillis();
    return repository.claimCompletion(u.id(), now + CLAIM_MILLIS, now)
        .compose(claimed -> claimed ? ingestClaimed(u, owner) : Future.succeededFuture(u));
  }

  private Future<TusUpload> ingestClaimed(TusUpload u, Principal owner) {
    Path assembled = staging.resolve("assembled-" + UUID.randomUUID());
    return parts.concatenate(u.id(), u.parts(), assembled)
        .compose(v -> ingest.ingest(new Upload(assembled, owner)))
        .eventually(() -> vertx.fileSystem().delete(assembled.toString()).otherwiseEmpty())
        .compose(result -> repository.completed(u.id(), result.image().id())
            .compose(v -> parts.deleteAll(u.id()))
            .map(v -> withImage(u, result.image().id())),
            failure -> {
              if (failure instanceof AppException e && e.type().status() < 500) {
                log.info("resumable upload {} refused at completion: {}", u.id(), e.type().slug());
                return forget(u.id()).compose(v -> Future.failedFuture(failure));
              }
              return repository.find(u.id()).compose(found -> {
                if (found.isEmpty()) {
                  return Future.failedFuture(notFound());
                }
                if (found.get().imageId() != null) {
                  return Future.succeededFuture(found.get());
                }
                return repository.releaseCompletion(u.id()).transform(r -> Future.failedFuture(failure));
              });
            });
  }

  private static TusUpload withImage(TusUpload u, String imageId) {
    return new TusUpload(u.id(), u.owner(), u.length(), u.length(), List.of(), u.filename(), u.filetype(), u.expiresAt(), imageId);
  }

  /** The caller's own upload, not expired; anything else is 404, so another owner learns nothing. */
  private Future<TusUpload> visible(Principal principal, String id) {
    if (!Ids.isWellFormed(id)) {
      return Future.failedFuture(notFound());
    }
    long now = System.currentTimeMillis();
    return repository.find(id).map(found -> found.filter(u -> u.owner().equals(principal.subject()) && u.expiresAt() >= now)
        .orElseThrow(TusService::notFound));
  }

  private AppException tooManyParts() {
    return AppException.of(ProblemType.TOO_MANY_PARTS, "This upload already holds " + config.maxParts()
        + " pieces, the limit (uploads.maxParts): terminate it and upload again in larger chunks.");
  }

  private static AppException notFound() {
    return AppException.of(ProblemType.NOT_FOUND, "No such upload (it may have expired).");
  }
}
