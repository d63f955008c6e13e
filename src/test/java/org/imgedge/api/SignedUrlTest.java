package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Problems;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code urls.signingKeys} set, a variant URL needs its {@code sig}: the unpadded base64url
 * HMAC-SHA256 of the URL's path under one of the keys (computed here independently of the service).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class SignedUrlTest {

  private static final String K2 = "newest-signing-key-2222222222";
  private static final String K1 = "previous-signing-key-1111111111";
  private static final Path JPEG = Corpus.file("orientation", "landscape_6.jpg");

  @RegisterExtension
  static final RunningApp app = new RunningApp(
      new JsonObject().put("urls", new JsonObject().put("signingKeys", new JsonArray().add(K2).add(K1))));
  private static JsonObject image;
  private static JsonObject other;

  @BeforeAll
  static void upload(VertxTestContext ctx) {
    app.get().upload(TestApp.ALICE, JPEG).expecting(HttpResponseExpectation.SC_CREATED)
        .compose(r -> {
          image = r.bodyAsJsonObject();
          return app.get().uploadRaw(TestApp.ALICE, GeneratedImages.png(3), "image/png").expecting(HttpResponseExpectation.SC_CREATED);
        })
        .onComplete(ctx.succeeding(r -> {
          other = r.bodyAsJsonObject();
          ctx.completeNow();
        }));
  }

  @Test
  @DisplayName("the Image JSON's variant URLs carry sig under the newest key, and GET and HEAD of them answer 200")
  void signedUrlsWork(VertxTestContext ctx) {
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (String preset : List.of("small", "medium")) {
      String url = url(image, preset);
      String path = "/v1/images/" + image.getString("id") + "/" + preset + ".jpg";
      ctx.verify(() -> assertThat(url).isEqualTo(path + "?v=" + version(url) + "&sig=" + sign(K2, path)));
      answers.add(app.get().get(url, null).send());
      answers.add(app.get().request(HttpMethod.HEAD, url, null).send());
      // the by-name URL carries the same signature: it signs the path only
      answers.add(app.get().get(path + "?sig=" + sign(K2, path), null).send());
    }
    app.get().get("/v1/images/" + image.getString("id"), TestApp.ALICE).send()
        .compose(read -> Future.all(answers).map(all -> {
          ctx.verify(() -> {
            assertThat(read.bodyAsJsonObject()).as("GET returns the same signed URLs").isEqualTo(image);
            for (int i = 0; i < answers.size(); i++) {
              assertThat(all.<HttpResponse<Buffer>>resultAt(i).statusCode()).as("request %d", i).isEqualTo(200);
            }
          });
          return all;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a URL signed with the previous key (k1) still works, so a key rotation breaks no URL handed out")
  void previousKeyStillVerifies(VertxTestContext ctx) {
    String path = "/v1/images/" + image.getString("id") + "/medium.jpg";
    app.get().get(path + "?v=" + version(url(image, "medium")) + "&sig=" + sign(K1, path), null).send()
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.getHeader("Content-Type")).isEqualTo("image/jpeg");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("no sig, and every tampered sig (each character changed, truncated, another image's, another preset's, unknown key) answer 403")
  void tamperedSignaturesAreRefused(VertxTestContext ctx) {
    String id = image.getString("id");
    String path = "/v1/images/" + id + "/small.jpg";
    String good = sign(K2, path);
    String v = "?v=" + version(url(image, "small"));
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("no sig", path + v);
    urls.put("no query at all", path);
    urls.put("empty sig", path + v + "&sig=");
    for (int i = 0; i < good.length(); i++) {
      char c = good.charAt(i);
      urls.put("character " + i + " changed", path + v + "&sig=" + good.substring(0, i) + (c == 'A' ? 'B' : 'A') + good.substring(i + 1));
    }
    urls.put("truncated", path + v + "&sig=" + good.substring(0, good.length() - 1));
    urls.put("one character more", path + v + "&sig=" + good + "A");
    urls.put("padded", path + v + "&sig=" + good + "=");
    urls.put("another image's sig", path + v + "&sig=" + sign(K2, "/v1/images/" + other.getString("id") + "/small.jpg"));
    urls.put("another preset's sig", path + v + "&sig=" + sign(K2, "/v1/images/" + id + "/medium.jpg"));
    urls.put("unknown key", path + v + "&sig=" + sign("a-key-the-service-never-had-000", path));
    urls.put("sig of the path with its query", path + v + "&sig=" + sign(K2, path + v));
    urls.put("other image, no sig", url(other, "small").replaceAll("&sig=.*", ""));
    urls.put("unknown image, no sig", "/v1/images/0192f6c1-0000-7000-8000-000000000000/small.jpg");
    Checkpoint refused = ctx.checkpoint(urls.size() * 2);
    urls.forEach((what, url) -> {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
        app.get().request(method, url, null).send().onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as("%s %s", method, what).isEqualTo(403);
          if (method == HttpMethod.GET) {
            assertThat(Problems.assertProblem(r, 403).getString("type")).isEqualTo("urn:imgedge:error:bad-signature");
          }
          refused.flag();
        })));
      }
    });
  }

  @Test
  @DisplayName("originals never leak: not to a client key, not without a key, not through a variant URL rewritten to 'original'")
  void originalsNeverLeak(VertxTestContext ctx) {
    String id = image.getString("id");
    String signed = url(image, "small");
    String sig = signed.substring(signed.indexOf("&sig=") + 5);
    String originalPath = "/v1/images/" + id + "/original";
    Map<String, Future<HttpResponse<Buffer>>> answers = new LinkedHashMap<>();
    answers.put("client key", app.get().get(originalPath, TestApp.ALICE).send());
    answers.put("no key", app.get().get(originalPath, null).send());
    answers.put("rewritten, with sig", app.get().get(signed.replace("small.jpg", "original"), null).send());
    answers.put("rewritten, without sig", app.get().get(signed.replace("small.jpg", "original").replaceAll("&sig=.*", ""), null).send());
    answers.put("rewritten, sig of its own path", app.get().get(originalPath + "?sig=" + sign(K2, originalPath), null).send());
    answers.put("HEAD rewritten, with sig", app.get().request(HttpMethod.HEAD, signed.replace("small.jpg", "original"), null).send());
    answers.put("original.jpg with the small sig", app.get().get("/v1/images/" + id + "/original.jpg?sig=" + sig, null).send());
    answers.put("original.jpg signed", app.get().get("/v1/images/" + id + "/original.jpg?sig=" + sign(K2, "/v1/images/" + id + "/original.jpg"), null).send());
    String originalSha = image.getJsonObject("original").getString("sha256");
    List<String> names = List.copyOf(answers.keySet());
    Future.join(List.copyOf(answers.values())).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      for (int i = 0; i < names.size(); i++) {
        HttpResponse<Buffer> r = all.resultAt(i);
        assertThat(r.statusCode()).as(names.get(i)).isIn(401, 403, 404);
        byte[] body = r.body() == null ? new byte[0] : r.body().getBytes();
        assertThat(Corpus.sha256(body)).as(names.get(i) + ": not the original's bytes").isNotEqualTo(originalSha);
      }
      assertThat(Corpus.sha256(JPEG)).isEqualTo(originalSha);
      ctx.completeNow();
    })));
  }

  private static String url(JsonObject image, String preset) {
    return image.getJsonObject("variants").getJsonObject(preset).getString("url");
  }

  private static String version(String url) {
    return url.replaceAll(".*[?&]v=([^&]*).*", "$1");
  }

  /** The documented algorithm: unpadded base64url of HMAC-SHA256(key, path). */
  private static String sign(String key, String path) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
