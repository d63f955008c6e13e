package org.imgedge.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.imgedge.auth.Role;
import org.imgedge.catalog.AnalysisStatus;
import org.imgedge.http.Api;
import org.imgedge.http.Routing;
import org.imgedge.http.Routing.Body;
import org.imgedge.jobs.Job;
import org.imgedge.jobs.JobQueue;
import org.imgedge.jobs.JobStats;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/** {@code /v1/jobs}: the AI workers' queue. Claim an image under a lease, then complete or fail it. */
public final class JobsApi implements Api {

  static final int DEFAULT_LEASE_SECONDS = 300;
  static final int MAX_LEASE_SECONDS = 3600;

  private final JobQueue queue;

  public JobsApi(JobQueue queue) {
    this.queue = queue;
  }

  @Override
  public void addRoutes(Routing routing) {
    routing.guarded(HttpMethod.POST, "/v1/jobs/claim", Set.of(Role.WORKER, Role.ADMIN), Body.JSON, this::claim);
    routing.guarded(HttpMethod.GET, "/v1/jobs/stats", Set.of(Role.WORKER, Role.ADMIN), Body.NONE, this::stats);
    routing.guarded(HttpMethod.POST, "/v1/jobs/:jobId/complete", Set.of(Role.WORKER, Role.ADMIN), Body.JSON, this::complete);
    routing.guarded(HttpMethod.POST, "/v1/jobs/:jobId/fail", Set.of(Role.WORKER, Role.ADMIN), Body.JSON, this::fail);
  }

  void claim(RoutingContext ctx) {
    int lease = leaseSeconds(body(ctx));
    queue.claim(lease).onSuccess(job -> {
      if (job.isEmpty()) {
        ctx.response().setStatusCode(204).end();
      } else {
        JsonResponse.send(ctx, toJson(job.get()));
      }
    }).onFailure(ctx::fail);
  }

  void complete(RoutingContext ctx) {
    Object result = body(ctx).getValue("result");
    if (!(result instanceof JsonObject object)) {
      throw AppException.of(ProblemType.BAD_REQUEST, "Send {\"result\": {...}}: the analysis as a JSON object.");
    }
    queue.complete(ctx.pathParam("jobId"), object).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  void fail(RoutingContext ctx) {
    Object error = body(ctx).getValue("error");
    if (!(error instanceof String message) || message.isBlank()) {
      throw AppException.of(ProblemType.BAD_REQUEST, "Send {\"error\": \"...\"}: what went wrong, as text.");
    }
    queue.fail(ctx.pathParam("jobId"), message).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  void stats(RoutingContext ctx) {
    queue.stats().onSuccess(s -> JsonResponse.send(ctx, toJson(s))).onFailure(ctx::fail);
  }

  private static JsonObject toJson(Job job) {
    return new JsonObject()
        .put("jobId", job.jobId())
        .put("imageId", job.imageId())
        .put("originalUrl", "/v1/images/" + job.imageId() + "/original")
        .put("attempt", job.attempt())
        .put("leaseExpiresAt", job.leaseExpiresAt().toString());
  }

  private static JsonObject toJson(JobStats stats) {
    JsonObject json = new JsonObject();
    for (AnalysisStatus status : AnalysisStatus.values()) {
      json.put(status.wire(), stats.count(status));
    }
    return json.put("oldestPendingAgeSeconds", stats.oldestPendingAgeSeconds());
  }

  /** The JSON body; an empty body reads as {@code {}}. */
  private static JsonObject body(RoutingContext ctx) {
    var buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return new JsonObject();
    }
    try {
      Object value = buffer.toJsonValue();
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      // answered below, like any other body that is not an object
    }
    throw AppException.of(ProblemType.BAD_REQUEST, "The body must be a JSON object.");
  }

  private static int leaseSeconds(JsonObject body) {
    Object value = body.getValue("leaseSeconds");
    if (value == null) {
      return DEFAULT_LEASE_SECONDS;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > MAX_LEASE_SECONDS) {
      throw AppException.of(ProblemType.BAD_REQUEST, "leaseSeconds must be a whole number from 1 to " + MAX_LEASE_SECONDS + ".");
    }
    return ((Number) value).intValue();
  }
}
