package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.imgedge.imaging.codec.HeifDecoder;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbRows;
import org.imgedge.imaging.codec.WebpDecoder;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every format the Image JSON lists is served as it says: WebP at upload, AVIF once the background work
 * made it; with the same ETag, 304, signing and delete rules as the JPEG.
 */
class VariantFormatsTest {

  private static final String KEY = "formats-signing-key-33333333333";
  private static final Path PHOTO = Corpus.file("orientation", "landscape_6.jpg");

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("urls", new JsonObject().put("signingKeys", new JsonArray().add(KEY)))
      .put("regeneration", new JsonObject().put("checkSeconds", 1))
      .put("presets", new JsonObject()
          .put("small", new JsonObject().put("box", 400).put("formats", new JsonArray().add("jpeg").add("webp").add("avif")))
          .put("medium", new JsonObject().put("box", 1000))));

  private static JsonObject image;

  @BeforeAll
  static void upload() {
    HttpResponse<Buffer> r = app.get().upload(TestApp.ALICE, PHOTO).await();
    assertThat(r.statusCode()).isEqualTo(201);
    image = r.bodyAsJsonObject();
  }

  @Test
  @DisplayName("each format URL serves what the JSON says: type, bytes, dimensions, its own ETag and ?v=, and 304 for it")
  void everyFormatServesWhatTheJsonSays() throws Exception {
    JsonObject withAvif = awaitAvif();
    for (String preset : List.of("small", "medium")) {
      JsonObject v = withAvif.getJsonObject("variants").getJsonObject(preset);
      JsonObject formats = v.getJsonObject("formats");
      List<String> expected = preset.equals("small") ? List.of("jpeg", "webp", "avif") : List.of("jpeg", "webp");
      assertThat(formats.fieldNames()).as(preset).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(formats.getJsonObject("jpeg").getString("url")).isEqualTo(v.getString("url"));
      for (String f : expected) {
        JsonObject file = formats.getJsonObject(f);
        String url = file.getString("url");
        assertThat(url).matches("/v1/images/" + image.getString("id") + "/" + preset + "\\."
            + (f.equals("jpeg") ? "jpg" : f) + "\\?v=[0-9a-f]{8}&sig=[A-Za-z0-9_-]+");
        HttpResponse<Buffer> r = app.get().get(url, null).send().await();
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.getHeader("Content-Type")).isEqualTo(file.getString("contentType")).isEqualTo("image/" + f);
        assertThat((long) r.body().length()).isEqualTo(file.getLong("bytes"));
        assertThat(r.getHeader("Cache-Control")).contains("immutable");
        int[] size = dimensions(f, r.body().getBytes());
        assertThat(size).as("%s %s decoded", preset, f).containsExactly(v.getInteger("width"), v.getInteger("height"));
        String etag = r.getHeader("ETag");
        assertThat(etag).isNotNull();
        assertThat(app.get().get(url, null).putHeader("If-None-Match", etag).send().await().statusCode()).isEqualTo(304);
      }
      assertThat(formats.getJsonObject("webp").getLong("bytes")).as("WebP is smaller").isLessThan(v.getLong("bytes"));
    }
    byte[] avif = app.get().get(withAvif.getJsonObject("variants").getJsonObject("small").getJsonObject("formats")
        .getJsonObject("avif").getString("url"), null).send().await().body().getBytes();
    assertThat(new String(avif, 4, 8, StandardCharsets.ISO_8859_1)).as("ftyp brand").isEqualTo("ftypavif");
  }

  @Test
  @DisplayName(".webp refuses a missing or another path's sig with 403, like .jpg; after a delete every format is 404")
  void signingAndDelete() throws Exception {
    TestApp a = app.get();
    JsonObject other = a.upload(TestApp.ALICE, Corpus.file("orientation", "landscape_3.jpg")).await().bodyAsJsonObject();
    String id = other.getString("id");
    String webp = "/v1/images/" + id + "/small.webp";
    assertThat(a.get(webp, null).send().await().statusCode()).as("no sig").isEqualTo(403);
    assertThat(a.get(webp + "?sig=" + sign("/v1/images/" + image.getString("id") + "/small.webp"), null).send().await()
        .statusCode()).as("another image's sig").isEqualTo(403);
    assertThat(a.get(webp + "?sig=" + sign("/v1/images/" + id + "/small.jpg"), null).send().await().statusCode())
        .as("the JPEG's sig").isEqualTo(403);
    assertThat(a.get(webp + "?sig=" + sign(webp), null).send().await().statusCode()).isEqualTo(200); // now in memory
    assertThat(a.request(HttpMethod.DELETE, "/v1/images/" + id, TestApp.ALICE).send().await().statusCode()).isEqualTo(204);
    for (String file : List.of("small.webp", "medium.webp", "small.jpg", "small.avif")) {
      String path = "/v1/images/" + id + "/" + file;
      assertThat(a.get(path + "?sig=" + sign(path), null).send().await().statusCode()).as(file).isEqualTo(404);
    }
    assertThat(a.stored().blobFiles(id)).isEmpty();
  }

  /** The image once its AVIF exists: the JSON never lists it before. */
  private static JsonObject awaitAvif() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      JsonObject now = app.get().get("/v1/images/" + image.getString("id"), TestApp.ALICE).send().await().bodyAsJsonObject();
      JsonObject formats = now.getJsonObject("variants").getJsonObject("small").getJsonObject("formats");
      if (formats.containsKey("avif")) {
        return now;
      }
      assertThat(System.nanoTime()).as("AVIF made within 60 s").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(50); // a poll interval, not a timing assumption
    }
  }

  private static int[] dimensions(String format, byte[] body) throws Exception {
    switch (format) {
      case "jpeg" -> {
        var rgb = JpegCodec.turbo().decode(body, 1 << 16, 1 << 16);
        return new int[] {rgb.width(), rgb.height()};
      }
      case "webp" -> {
        try (WebpDecoder d = WebpDecoder.open(body)) {
          var rgb = d.decode(d.width(), d.height(), () -> false);
          return new int[] {rgb.width(), rgb.height()};
        }
      }
      default -> {
        Path tmp = Files.createTempFile("variant", ".avif");
        try {
          Files.write(tmp, body);
          int[] size = new int[2];
          try (HeifDecoder d = HeifDecoder.open(tmp)) {
            d.decode(new RgbRows() {
              @Override
              public void size(int width, int height) {
                size[0] = width;
                size[1] = height;
              }

              @Override
              public void row(byte[] rgb) {}
            });
          }
          return size;
        } finally {
          Files.delete(tmp);
        }
      }
    }
  }

  private static String sign(String path) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
  }
}
