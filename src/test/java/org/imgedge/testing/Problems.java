package org.imgedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AsyncResult;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;

/** Assertions on RFC 9457 answers: every error of the API is {@code application/problem+json}. */
public final class Problems {

  private Problems() {}

  /**
   * Checks the status and the problem shape: type {@code urn:imgedge:error:...}, title, status equal to
   * the HTTP status, and a detail; no stack trace.
   *
   * @return the problem body, for more specific checks
   */
  public static JsonObject assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as("status of %s", r.bodyAsString()).isEqualTo(status);
    return assertProblem(r);
  }

  /** The same as {@link #assertProblem(HttpResponse, int)} for any 4xx/5xx status. */
  public static JsonObject assertProblem(HttpResponse<Buffer> r) {
    assertThat(r.getHeader("Content-Type")).as("Content-Type").startsWith("application/problem+json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("type")).as("type").startsWith("urn:imgedge:error:");
    assertThat(body.getString("title")).as("title").isNotBlank();
    assertThat(body.getInteger("status")).as("status field").isEqualTo(r.statusCode());
    assertThat(body.getString("detail")).as("detail").isNotBlank();
    assertThat(r.bodyAsString()).as("no stack trace reaches a client").doesNotContain("\tat ", "Exception");
    return body;
  }

  /** Ends a test whose whole check is that the answer is a problem with this status. */
  public static Handler<AsyncResult<HttpResponse<Buffer>>> expectProblem(VertxTestContext ctx, int status) {
    return ctx.succeeding(r -> ctx.verify(() -> {
      assertProblem(r, status);
      ctx.completeNow();
    }));
  }

  /** Ends a test whose whole check is that every answer of a {@code Future.all} is a problem with this status. */
  public static Handler<AsyncResult<CompositeFuture>> expectProblems(VertxTestContext ctx, int status) {
    return ctx.succeeding(all -> ctx.verify(() -> {
      all.<HttpResponse<Buffer>>list().forEach(r -> assertProblem(r, status));
      ctx.completeNow();
    }));
  }
}
