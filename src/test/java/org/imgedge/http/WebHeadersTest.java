package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.ImageChecks;
import org.imgedge.testing.RawConnection;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What browsers and CDNs rely on: CORS for the configured origins, nosniff everywhere, keep-alive after a 4xx. */
@Timeout(120)
class WebHeadersTest {

  private static final String APP_ORIGIN = "https://app.example.com";

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("http", new JsonObject().put("cors", new JsonObject().put("origins", new JsonArray().add(APP_ORIGIN)))));

  @Test
  @DisplayName("a preflight from an allowed origin is answered with the methods, headers and origin a page needs")
  void preflight() {
    try (RawConnection c = RawConnection.open(app.get().port())) {
      String answer = c.send("OPTIONS /v1/images HTTP/1.1\r\nHost: x\r\nOrigin: " + APP_ORIGIN + "\r\n"
          + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\n\r\n").answer();
      assertThat(RawConnection.status(answer)).isEqualTo(204);
      assertThat(RawConnection.header(answer, "access-control-allow-origin")).isEqualTo(APP_ORIGIN);
      assertThat(RawConnection.header(answer, "access-control-allow-methods")).contains("POST", "DELETE", "GET");
      assertThat(RawConnection.header(answer, "access-control-allow-headers").toLowerCase(Locale.ROOT)).contains("authorization", "content-type");
      assertThat(RawConnection.header(answer, "access-control-allow-credentials")).isNull();
      assertThat(RawConnection.header(answer, "x-content-type-options")).isEqualTo("nosniff");
    }
  }

  @Test
  @DisplayName("a GET from an allowed origin gets CORS headers, on the API, its errors and a cached variant; a refused origin none")
  void getFromAllowedAndRefusedOrigins() throws Exception {
    String variant = ImageChecks.versioned(uploadPng(9), "small");
    try (RawConnection c = RawConnection.open(app.get().port())) {
      String list = c.send(get("/v1/images", APP_ORIGIN, TestApp.ALICE)).answer();
      assertThat(RawConnection.status(list)).isEqualTo(200);
      assertThat(RawConnection.header(list, "access-control-allow-origin")).isEqualTo(APP_ORIGIN);
      assertThat(RawConnection.header(list, "access-control-expose-headers").toLowerCase(Locale.ROOT))
          .contains("etag", "location", "retry-after", "x-request-id");

      String unauthorized = c.send(get("/v1/images", APP_ORIGIN, null)).answer();
      assertThat(RawConnection.status(unauthorized)).isEqualTo(401);
      assertThat(RawConnection.header(unauthorized, "access-control-allow-origin")).as("a page can read the error").isEqualTo(APP_ORIGIN);

      for (int i = 0; i < 2; i++) { // the second is answered from memory, where the fast path would take it
        String bytes = c.send(get(variant, APP_ORIGIN, null)).answer();
        assertThat(RawConnection.status(bytes)).isEqualTo(200);
        assertThat(RawConnection.header(bytes, "access-control-allow-origin")).isEqualTo(APP_ORIGIN);
        assertThat(RawConnection.header(bytes, "access-control-expose-headers").toLowerCase(Locale.ROOT)).contains("etag");
      }

      String refused = c.send(get("/v1/images", "https://evil.example", TestApp.ALICE)).answer();
      assertThat(RawConnection.status(refused)).isEqualTo(200);
      assertThat(refused.toLowerCase(Locale.ROOT)).doesNotContain("access-control-");
      String refusedVariant = c.send(get(variant, "https://evil.example", null)).answer();
      assertThat(RawConnection.status(refusedVariant)).isEqualTo(200);
      assertThat(refusedVariant.toLowerCase(Locale.ROOT)).doesNotContain("access-control-");
      // an <img> or a server sends no Origin: its copy (from the fast path) must say that it varies by Origin,
      // or a CDN would hand that copy, without CORS headers, to a page that asks next
      String noOrigin = c.send(get(variant, null, null)).answer();
      assertThat(RawConnection.status(noOrigin)).isEqualTo(200);
      assertThat(noOrigin.toLowerCase(Locale.ROOT)).doesNotContain("access-control-");
      assertThat(RawConnection.header(noOrigin, "vary")).isEqualToIgnoringCase("Origin");
      assertThat(RawConnection.header(bytesFor(c, variant), "vary")).containsIgnoringCase("Origin");
    }
  }

  @Test
  @DisplayName("X-Content-Type-Options: nosniff on a success, a problem+json error and a variant from the fast path")
  void nosniffEverywhere() throws Exception {
    JsonObject image = uploadPng(10);
    String variant = ImageChecks.versioned(image, "small");
    try (RawConnection c = RawConnection.open(app.get().port())) {
      String ok = c.send(get("/v1/images/" + image.getString("id"), null, TestApp.ALICE)).answer();
      String error = c.send(get("/v1/images/nope", null, TestApp.ALICE)).answer();
      c.get(variant); // now in memory
      String fast = c.get(variant);
      assertThat(RawConnection.status(ok)).isEqualTo(200);
      assertThat(RawConnection.status(error)).isEqualTo(404);
      assertThat(RawConnection.header(error, "content-type")).startsWith("application/problem+json");
      assertThat(RawConnection.status(fast)).isEqualTo(200);
      for (String answer : new String[] {ok, error, fast}) {
        assertThat(RawConnection.header(answer, "x-content-type-options")).as(answer.lines().findFirst().orElse("")).isEqualTo("nosniff");
      }
    }
  }

  @Test
  @DisplayName("two 404s on one keep-alive connection: a 4xx to a GET or HEAD does not close it")
  void keepAliveAfterNotFound() {
    try (RawConnection c = RawConnection.open(app.get().port())) {
      String first = c.get("/no/such/thing");
      assertThat(RawConnection.status(first)).isEqualTo(404);
      assertThat(RawConnection.header(first, "connection")).isNull();
      assertThat(RawConnection.status(c.get("/v1/images/none/small.jpg"))).isEqualTo(404);
      String head = c.send("HEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\n").answer();
      assertThat(RawConnection.status(head)).isEqualTo(404);
      assertThat(RawConnection.status(c.send(get("/v1/images", null, null)).answer())).isEqualTo(401);
      assertThat(c.closedWithin(300)).as("still open").isNull();
    }
  }

  /** Alice's upload of generated PNG {@code index}, as its Image JSON. */
  private static JsonObject uploadPng(int index) throws Exception {
    return new JsonObject(app.get().uploadRaw(TestApp.ALICE, GeneratedImages.png(index), "image/png")
        .toCompletionStage().toCompletableFuture().get().bodyAsString());
  }

  private static String get(String path, String origin, String key) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
  }

  private static String bytesFor(RawConnection c, String variant) throws Exception {
    return c.send(get(variant, APP_ORIGIN, null)).answer();
  }
}
