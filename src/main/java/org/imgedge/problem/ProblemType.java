package org.imgedge.problem;

/** Every kind of error a client can see, with its stable type URI ({@code urn:imgedge:error:<slug>}). */
public enum ProblemType {
  BAD_REQUEST(400, "bad-request", "Bad request"),
  UNAUTHORIZED(401, "unauthorized", "Missing or unknown API key"),
  /** A JWT that does not verify: expired, not yet valid, wrong aud or iss, unsigned, unknown key (RFC 6750 invalid_token). */
  INVALID_TOKEN(401, "invalid-token", "Invalid bearer token"),
  FORBIDDEN(403, "forbidden", "Not allowed for this key's role"),
  BAD_SIGNATURE(403, "bad-signature", "Missing or invalid URL signature"),
  NOT_FOUND(404, "not-found", "Not found"),
  /** A preset added after the image was uploaded, whose variant the regeneration has not made yet. */
  VARIANT_PENDING(404, "variant-pending", "Variant not made yet"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  REQUEST_TIMEOUT(408, "request-timeout", "Request sent too slowly"),
  CONFLICT(409, "conflict", "Conflict with the current state"),
  /** tus: a PATCH whose Upload-Offset is not the upload's offset; HEAD tells where to resume. */
  UPLOAD_OFFSET_MISMATCH(409, "upload-offset-mismatch", "Upload-Offset does not match the upload"),
  /** tus: a request without {@code Tus-Resumable: 1.0.0}; Tus-Version lists what the server speaks. */
  TUS_VERSION_UNSUPPORTED(412, "tus-version-unsupported", "Unsupported tus version"),
  /** tus: a PATCH whose Content-Type is not {@code application/offset+octet-stream}. */
  WRONG_CONTENT_TYPE(415, "wrong-content-type", "Wrong content type for this request"),
  /** tus checksum extension: the PATCH body does not match its Upload-Checksum; nothing of it was kept. */
  CHECKSUM_MISMATCH(460, "checksum-mismatch", "Checksum Mismatch"),
  /** The owner already has {@code uploads.maxPartial} unfinished resumable uploads. */
  TOO_MANY_PARTIAL_UPLOADS(429, "too-many-partial-uploads", "Too many unfinished uploads"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Upload too large"),
  /**
   * tus: the upload already holds {@code uploads.maxParts} parts. 413, not 409: tus clients retry a 409
   * (HEAD, then PATCH again), which cannot help here; a 413 ends the upload on the client at once.
   */
  TOO_MANY_PARTS(413, "too-many-parts", "Upload sent in too many pieces"),
  URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
  TOO_MANY_PIXELS(413, "too-many-pixels", "Image has too many pixels"),
  UNSUPPORTED_FORMAT(415, "unsupported-format", "Unsupported image format"),
  UNDECODABLE(422, "undecodable-image", "Image data cannot be decoded"),
  /**
   * 422, not 413: the body is small and well-formed; what is excessive is the work its encoding asks for
   * (one decoding pass per scan), so sending fewer bytes would not help, re-encoding would.
   */
  TOO_MANY_SCANS(422, "too-many-scans", "JPEG has too many scans"),
  /** The owner's {@code limits.uploadsPerMinute} is used up; Retry-After says when the window ends. */
  TOO_MANY_UPLOADS(429, "too-many-uploads", "Upload rate limit reached"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  INSUFFICIENT_STORAGE(507, "insufficient-storage", "Storage is full"),
  OVERLOADED(503, "overloaded", "Too many uploads in progress"),
  TOO_MANY_CONNECTIONS(503, "too-many-connections", "Too many connections"),
  UNAVAILABLE(503, "unavailable", "A dependency is unavailable"),
  INTERNAL(500, "internal", "Internal error");

  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  /** The last part of the type URI: a short, stable label (the metrics count errors by it). */
  public String slug() {
    return slug;
  }

  public String uri() {
    return "urn:imgedge:error:" + slug;
  }

  public String title() {
    return title;
  }

  /** The type a bare status code stands for, as vertx-web reports it (413 from BodyHandler, 404/405 routing). */
  public static ProblemType forStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 408 -> REQUEST_TIMEOUT;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 415 -> UNSUPPORTED_FORMAT;
      case 431 -> HEADERS_TOO_LARGE;
      case 503 -> UNAVAILABLE;
      case 507 -> INSUFFICIENT_STORAGE;
      default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
    };
  }
}
