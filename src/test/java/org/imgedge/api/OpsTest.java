package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Health, metrics and the published contract: what operators and load balancers read, with no key. */
@WithService
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class OpsTest {

  private static JsonObject image;

  /** Serves one variant, so that request and cache meters have data. */
  @BeforeAll
  static void serveOne(VertxTestContext ctx) {
    service().upload(TestApp.ALICE, Corpus.file("formats", "progressive.jpg")).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          image = r.bodyAsJsonObject();
          return service().get(ImageChecks.versioned(image, "small"), null).send().expecting(HttpResponseExpectation.SC_OK);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("/health/live answers 200 and /health/ready 200 with database and storage up")
  void health(VertxTestContext ctx) {
    Future.all(service().get("/health/live", null).send(), service().get("/health/ready", null).send())
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> live = all.resultAt(0);
          HttpResponse<Buffer> ready = all.resultAt(1);
          assertThat(live.statusCode()).isEqualTo(200);
          assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
          JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
          assertThat(checks.getString("database")).isEqualTo("up");
          assertThat(checks.getString("storage")).isEqualTo("up");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("/metrics is Prometheus text with requests by route template and status, and cache hits by tier")
  void metrics(VertxTestContext ctx) {
    String id = image.getString("id");
    // a 404 on a random path must not become a series of its own
    service().get("/no/such/" + id, null).send()
        .compose(v -> service().get("/metrics", null).send())
        .expecting(HttpResponseExpectation.SC_OK)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
          List<String> lines = r.bodyAsString().lines().toList();
          assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("http_server_requests")
              .contains("route=\"/v1/images/:id/:file\"").contains("status=\"200\"").contains("method=\"GET\""));
          assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("http_server_requests")
              .contains("route=\"/v1/images\"").contains("status=\"201\"").contains("method=\"POST\""));
          assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("imgedge_cache_hits").contains("tier=\"memory\""));
          assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("imgedge_upload_queue_depth"));
          assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("imgedge_upload_stage_seconds").contains("stage=\"imaging\""));
          assertThat(lines).as("ids never become label values").noneSatisfy(l -> assertThat(l).contains(id));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("/openapi.yaml answers 200 with an OpenAPI 3 document listing the paths of API.md")
  @SuppressWarnings("unchecked")
  void openApi(VertxTestContext ctx) {
    service().get("/openapi.yaml", null).send().expecting(HttpResponseExpectation.SC_OK)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.getHeader("Content-Type")).contains("yaml");
          Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(r.bodyAsString());
          assertThat(String.valueOf(doc.get("openapi"))).matches("3\\.\\d+\\.\\d+");
          Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
          assertThat(paths).containsKeys("/v1/images", "/v1/images/{id}", "/v1/images/{id}/original",
              "/health/live", "/health/ready", "/metrics", "/openapi.yaml");
          assertThat(paths.keySet()).anySatisfy(p -> assertThat(p).startsWith("/v1/images/{id}/{").endsWith(".jpg"));
          ctx.completeNow();
        })));
  }
}
