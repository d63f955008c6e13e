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
    return repository.unfinished(owner, now).compose(n -> {
      if (n >= config.maxPartial()) {
        // an upload frees its place when it completes, is terminated or expires; a minute is a fair wait
        return Future.failedFuture(AppException.retryLater(ProblemType.TOO_MANY_PARTIAL_UPLOADS, "You already have "
            + n + " unfinished uploads (the limit is " + config.maxPartial() + "): finish or terminate one first.", 60));
      }
      String id = Ids.next();
      long expiresAt = now + config.expireSeconds() * 1000;
      return repository.insert(id, owner, length, filename, filetype, expiresAt)
          .map(v -> new TusUpload(id, owner, length, 0, List.of(), filename, filetype, expiresAt, null));
    });
  }

  /**
   * The upload as HEAD reports it. One whose last byte is stored but whose image is not recorded (its
   * completion failed, or its node died) is completed now, so the client learns the image's id.
   */
  public Future<TusUpload> status(Principal principal, String id) {
    return visible(principal, id).compose(u -> u.complete() && u.imageId() == null ? complete(u, principal) : Future.succeededFuture(u));
  }

  /**
   * Appends the body of {@code request} at {@code offset}, and completes the upload when that was its
   * last byte. The request must be paused by the caller until this is called.
   *
   * @param checksum null when the client sent none
   * @return the upload after the append; 409 when {@code offset} is not the upload's, 413 past its
   *     length, 460 when the checksum does not match (nothing of the body kept)
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
    String declared = request.getHeader("Content-Length");
    if (declared != null && declared.matches("\\d{1,19}") && Long.parseLong(declared) > remaining) {
      return Future.failedFuture(AppException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body goes past Upload-Length: this upload lacks only "
          + remaining + " bytes."));
    }
    return PatchBody.receive(vertx, request, staging, remaining, checksum == null ? null : checksum.digest())
        .compose(received -> store(u, checksum, received))
        .compose(stored -> stored.complete() ? complete(stored, principal) : Future.succeededFuture(stored));
  }

  /** Removes the upload and its bytes; the image of a completed one stays. */
  public Future<Void> terminate(Principal principal, String id) {
    return visible(principal, id).compose(u -> parts.deleteAll(u.id()).compose(v -> repository.delete(u.id())));
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
    long expiresAt = System.currentTimeMillis() + config.expireSeconds() * 1000;
    return parts.put(u.id(), part, received.file())
        .eventually(() -> PatchBody.discard(vertx, received))
        .compose(v -> repository.advance(u.id(), u.offset(), to, part, expiresAt))
        .compose(won -> {
          if (!won) {
            // another PATCH moved the offset first; this part stays unnamed and goes with the upload's others
            return Future.failedFuture(AppException.of(ProblemType.UPLOAD_OFFSET_MISMATCH,
                "Another request appended to this upload meanwhile: ask HEAD for the offset."));
          }
          List<String> names = new ArrayList<>(u.parts());
          names.add(part);
          return Future.succeededFuture(new TusUpload(u.id(), u.owner(), u.length(), to, names, u.filename(), u.filetype(),
              expiresAt, null));
        });
  }

  /**
   * Assembles the parts and ingests the file as a direct upload would be. An image the ingest refuses
   * (not an image, too many pixels, undecodable) ends the upload with nothing kept; a failure of a
   * dependency leaves it as it is, for the next HEAD or a retry to complete.
   */
  private Future<TusUpload> complete(TusUpload u, Principal owner) {
    Path assembled = staging.resolve("assembled-" + UUID.randomUUID());
    return parts.concatenate(u.id(), u.parts(), assembled)
        .compose(v -> ingest.ingest(new Upload(assembled, owner)))
        .eventually(() -> vertx.fileSystem().delete(assembled.toString()).otherwiseEmpty())
        .compose(result -> repository.completed(u.id(), result.image().id())
            .compose(v -> parts.deleteAll(u.id()))
            .map(v -> new TusUpload(u.id(), u.owner(), u.length(), u.length(), List.of(), u.filename(), u.filetype(),
                u.expiresAt(), result.image().id())),
            failure -> {
              if (failure instanceof AppException e && e.type().status() < 500) {
                log.info("resumable upload {} refused at completion: {}", u.id(), e.type().slug());
                return parts.deleteAll(u.id()).compose(v -> repository.delete(u.id())).compose(v -> Future.failedFuture(failure));
              }
              return Future.failedFuture(failure);
            });
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

  private static AppException notFound() {
    return AppException.of(ProblemType.NOT_FOUND, "No such upload (it may have expired).");
  }
}
