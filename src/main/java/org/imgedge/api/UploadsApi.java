package org.imgedge.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.imgedge.auth.BearerAuthHandler;
import org.imgedge.auth.Paused;
import org.imgedge.auth.Principal;
import org.imgedge.auth.Role;
import org.imgedge.http.Api;
import org.imgedge.http.DeclaredBody;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.ingest.UploadRate;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;
import org.imgedge.upload.Checksum;
import org.imgedge.upload.TusMetadata;
import org.imgedge.upload.TusService;
import org.imgedge.upload.TusUpload;

/**
 * {@code /v1/uploads}: resumable uploads over tus 1.0 (core, creation, creation-with-upload,
 * termination, expiration, checksum). This class reads and writes the protocol's headers; what they
 * mean is {@link TusService}'s.
 */
public final class UploadsApi implements Api {

  static final String VERSION = "1.0.0";
  static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum";
  static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  private static final Pattern NUMBER = Pattern.compile("\\d{1,19}");
  /** RFC 9110's IMF-fixdate: always a two-digit day, which RFC_1123_DATE_TIME does not write. */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
      .withZone(ZoneOffset.UTC);
  private static final Set<Role> UPLOADERS = Set.of(Role.CLIENT, Role.ADMIN);

  private final TusService tus;
  private final UploadRate uploadRate;

  public UploadsApi(TusService tus, UploadRate uploadRate) {
    this.tus = tus;
    this.uploadRate = uploadRate;
  }

  @Override
  public void addRoutes(Routing routing) {
    // tus wants Tus-Resumable on every answer, a 401 for a missing key included
    routing.answerHeader("/v1/uploads", "Tus-Resumable", VERSION);
    routing.open(HttpMethod.OPTIONS, "/v1/uploads", this::options);
    // the rate limit counts a resumable upload once, at its creation, never its PATCHes
    routing.guarded(HttpMethod.POST, "/v1/uploads", UPLOADERS, this::beforeCreate, Body.NONE, this::create);
    routing.guarded(HttpMethod.HEAD, "/v1/uploads/:uploadId", UPLOADERS, Body.NONE, this::head);
    routing.guarded(HttpMethod.PATCH, "/v1/uploads/:uploadId", UPLOADERS, Body.NONE, this::patch);
    routing.guarded(HttpMethod.DELETE, "/v1/uploads/:uploadId", UPLOADERS, Body.NONE, this::terminate);
  }

  void options(RoutingContext ctx) {
    ctx.response().setStatusCode(204)
        .putHeader("Tus-Resumable", VERSION)
        .putHeader("Tus-Version", VERSION)
        .putHeader("Tus-Extension", EXTENSIONS)
        .putHeader("Tus-Max-Size", String.valueOf(tus.maxUploadBytes()))
        .putHeader("Tus-Checksum-Algorithm", Checksum.ADVERTISED)
        .end();
  }

  /** The version check and the owner's rate, before anything else and before a byte of the body is read. */
  void beforeCreate(RoutingContext ctx) {
    requireVersion(ctx);
    if (uploadRate.enabled()) {
      Paused.until(ctx, uploadRate.acquire(BearerAuthHandler.principal(ctx).subject()), v -> ctx.next());
    } else {
      ctx.next();
    }
  }

  void create(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Principal principal = BearerAuthHandler.principal(ctx);
    if (request.getHeader("Upload-Defer-Length") != null) {
      throw AppException.of(ProblemType.BAD_REQUEST, "Upload-Defer-Length is not supported: send Upload-Length.");
    }
    long length = number(request, "Upload-Length");
    Map<String, String> metadata = TusMetadata.parse(request.getHeader("Upload-Metadata"));
    boolean withBody = DeclaredBody.present(request);
    if (withBody) {
      requireOctetStream(request);
    }
    Checksum checksum = withBody ? Checksum.parse(request.getHeader("Upload-Checksum")) : null;
    request.pause();
    tus.create(principal, length, metadata.get("filename"), metadata.get("filetype"))
        .compose(created -> {
          // a body refused now (460, 413, a cut one with a checksum) leaves the upload at offset 0: the
          // problem answer keeps Location, so the client can HEAD and resume it rather than leave it behind
          ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/uploads/" + created.id());
          Routing.keepOnProblem(ctx, HttpHeaders.LOCATION);
          return withBody || created.allBytesStored() ? tus.append(principal, created, 0, checksum, request)
              : Future.succeededFuture(created);
        })
        .onSuccess(u -> state(ctx.response().setStatusCode(201), u).end())
        .onFailure(ctx::fail);
  }

  void head(RoutingContext ctx) {
    requireVersion(ctx);
    tus.status(BearerAuthHandler.principal(ctx), ctx.pathParam("uploadId"))
        .onSuccess(u -> {
          HttpServerResponse response = state(ctx.response().setStatusCode(200), u)
              .putHeader("Upload-Length", String.valueOf(u.length()))
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
          String metadata = TusMetadata.format(u.filename(), u.filetype());
          if (metadata != null) {
            response.putHeader("Upload-Metadata", metadata);
          }
          response.end();
        })
        .onFailure(ctx::fail);
  }

  void patch(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    requireVersion(ctx);
    requireOctetStream(request);
    long offset = number(request, "Upload-Offset");
    Checksum checksum = Checksum.parse(request.getHeader("Upload-Checksum"));
    request.pause();
    tus.append(BearerAuthHandler.principal(ctx), ctx.pathParam("uploadId"), offset, checksum, request)
        .onSuccess(u -> {
          // a PATCH cut mid-body still stores what arrived, but there is no one left to answer
          if (!ctx.response().ended() && !ctx.response().closed()) {
            state(ctx.response().setStatusCode(204), u).end();
          }
        })
        .onFailure(ctx::fail);
  }

  void terminate(RoutingContext ctx) {
    requireVersion(ctx);
    tus.terminate(BearerAuthHandler.principal(ctx), ctx.pathParam("uploadId"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The headers that tell a client where an upload stands, and, once complete, which image it became. */
  private static HttpServerResponse state(HttpServerResponse response, TusUpload u) {
    response.putHeader("Upload-Offset", String.valueOf(u.offset()))
        .putHeader("Upload-Expires", IMF_FIXDATE.format(Instant.ofEpochMilli(u.expiresAt())));
    if (u.imageId() != null) {
      response.putHeader("Image-Id", u.imageId()).putHeader("Image-Location", "/v1/images/" + u.imageId());
    }
    return response;
  }

  /** Every answer carries Tus-Resumable; a request without the version this server speaks is 412. */
  private static void requireVersion(RoutingContext ctx) {
    ctx.response().putHeader("Tus-Resumable", VERSION);
    if (!VERSION.equals(ctx.request().getHeader("Tus-Resumable"))) {
      ctx.response().putHeader("Tus-Version", VERSION);
      throw AppException.of(ProblemType.TUS_VERSION_UNSUPPORTED, "Send Tus-Resumable: " + VERSION + ".");
    }
  }

  private static void requireOctetStream(HttpServerRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.trim().toLowerCase().startsWith(OFFSET_OCTET_STREAM)) {
      throw AppException.of(ProblemType.WRONG_CONTENT_TYPE, "Send the bytes with Content-Type: " + OFFSET_OCTET_STREAM + ".");
    }
  }

  private static long number(HttpServerRequest request, String header) {
    String value = request.getHeader(header);
    try {
      if (value != null && NUMBER.matcher(value.trim()).matches()) {
        return Long.parseLong(value.trim());
      }
    } catch (NumberFormatException aboveLongMax) {
      // 19 digits may still be past 2^63 - 1: no upload is that large, and the answer is the same 400
    }
    throw AppException.of(ProblemType.BAD_REQUEST, header + " must be a whole number of bytes.");
  }
}
