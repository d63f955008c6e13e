package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Problems;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refused request answers problem+json with the status API.md gives it, and a refused upload
 * leaves nothing behind. The server's upload limit is 1 MB here, so that a photo is too large.
 * The pixel limit and the full queue are in {@link LimitsTest}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class ErrorsTest {

  private static final long LIMIT = 1_000_000;
  /** 1.3 MB: over the limit. */
  private static final Path PHOTO = Corpus.file("photos", "nokia-lumia-800.jpg");

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("limits", new JsonObject().put("maxUploadBytes", LIMIT)));

  /** No test here uploads anything that should be kept. */
  @AfterEach
  void nothingStored(Vertx vertx, VertxTestContext ctx) {
    app.get().stored().stagingDrained(vertx, 250).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(app.get().stored().rows()).as("rows").isZero();
      assertThat(app.get().stored().blobFiles()).as("files under blobs/").isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("a route that does not exist answers 404 problem+json")
  void unknownRoute(VertxTestContext ctx) {
    Future.all(app.get().get("/nothing-here", null).send(), app.get().get("/v2/images", TestApp.ALICE).send(),
            app.get().get("/v1/images/x/y/z", TestApp.ALICE).send())
        .onComplete(Problems.expectProblems(ctx, 404));
  }

  @Test
  @DisplayName("a method a resource does not take answers 405 problem+json")
  void wrongMethod(VertxTestContext ctx) {
    Future.all(
            app.get().request(HttpMethod.PUT, "/v1/images", TestApp.ALICE).sendBuffer(Buffer.buffer("x")),
            app.get().request(HttpMethod.PATCH, "/v1/images/" + org.imgedge.support.Ids.next(), TestApp.ALICE).send(),
            app.get().request(HttpMethod.POST, "/health/live", null).send())
        .onComplete(Problems.expectProblems(ctx, 405));
  }

  @Test
  @DisplayName("a raw body over limits.maxUploadBytes answers 413, with or without Content-Length")
  void rawBodyTooLarge(Vertx vertx, VertxTestContext ctx) {
    app.get().uploadRaw(TestApp.ALICE, PHOTO)
        .compose(declared -> vertx.fileSystem().open(PHOTO.toString(), new OpenOptions().setRead(true))
            .compose(file -> app.get().request(HttpMethod.POST, "/v1/images", TestApp.ALICE)
                .putHeader("Content-Type", "image/jpeg")
                .sendStream(file)) // chunked: the server only learns the size while reading
            .map(chunked -> new HttpResponse[] {declared, chunked}))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          for (HttpResponse<?> response : r) {
            @SuppressWarnings("unchecked") HttpResponse<Buffer> b = (HttpResponse<Buffer>) response;
            assertThat(Problems.assertProblem(b, 413).getString("type")).isEqualTo("urn:imgedge:error:payload-too-large");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a multipart body over limits.maxUploadBytes answers 413")
  void multipartTooLarge(VertxTestContext ctx) {
    app.get().upload(TestApp.ALICE, PHOTO).onComplete(Problems.expectProblem(ctx, 413));
  }

  @Test
  @DisplayName("an upload with Content-Type text/plain answers 415")
  void textPlain(VertxTestContext ctx) {
    app.get().uploadRaw(TestApp.ALICE, Buffer.buffer(Corpus.bytes(Corpus.file("formats", "progressive.jpg"))), "text/plain")
        .onComplete(Problems.expectProblem(ctx, 415));
  }

  @Test
  @DisplayName("a multipart body without a part named image answers 400")
  void multipartWithoutImagePart(VertxTestContext ctx) {
    Path file = Corpus.file("formats", "progressive.jpg");
    MultipartForm wrongName = MultipartForm.create().binaryFileUpload("photo", "p.jpg", file.toString(), "image/jpeg");
    MultipartForm noFile = MultipartForm.create().attribute("image", "not a file");
    Future.all(
            app.get().request(HttpMethod.POST, "/v1/images", TestApp.ALICE).sendMultipartForm(wrongName),
            app.get().request(HttpMethod.POST, "/v1/images", TestApp.ALICE).sendMultipartForm(noFile))
        .onComplete(Problems.expectProblems(ctx, 400));
  }

  @Test
  @DisplayName("an empty raw body answers 400")
  void emptyBody(VertxTestContext ctx) {
    app.get().uploadRaw(TestApp.ALICE, Buffer.buffer(), "image/jpeg").onComplete(Problems.expectProblem(ctx, 400));
  }

  @Test
  @DisplayName("text sent as image/jpeg answers 415: the format comes from the bytes, not the declared type")
  void textDeclaredAsJpeg(VertxTestContext ctx) {
    Buffer text = Buffer.buffer("Hello, this is not a photo at all.\n".repeat(50), StandardCharsets.UTF_8.name());
    Future.all(
            app.get().uploadRaw(TestApp.ALICE, text, "image/jpeg"),
            app.get().request(HttpMethod.POST, "/v1/images", TestApp.ALICE).sendMultipartForm(
                MultipartForm.create().binaryFileUpload("image", "photo.jpg", text, "image/jpeg")))
        .onComplete(Problems.expectProblems(ctx, 415));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"orientation/landscape_3.jpg", "formats/progressive.jpg", "formats/sample.png", "formats/sample.gif",
      "formats/alpha-lossy-1-.webp"})
  @DisplayName("the first 40% of a supported file answers 422 undecodable-image")
  void truncated(String name, VertxTestContext ctx) {
    byte[] all = Corpus.bytes(Corpus.dir("").resolve(name));
    Buffer head = Buffer.buffer(Arrays.copyOf(all, all.length * 4 / 10));
    app.get().uploadRaw(TestApp.ALICE, head, "image/jpeg").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(Problems.assertProblem(r, 422).getString("type")).isEqualTo("urn:imgedge:error:undecodable-image");
      ctx.completeNow();
    })));
  }
}
