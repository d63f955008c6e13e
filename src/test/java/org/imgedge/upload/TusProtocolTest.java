package org.imgedge.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.FlatPng;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tus 1.0 on {@code /v1/uploads}, request by request, as the protocol spells it: what each header and
 * status means, every refusal as problem+json, owners kept apart, the per-owner cap, and expiry.
 */
class TusProtocolTest {

  /** Above the photo's 8 MP, below the refused PNG's 25 MP. */
  private static final long MAX_PIXELS = 20_000_000;
  private static final byte[] PHOTO = Corpus.bytes(Corpus.file("photos", "nokia-lumia-800.jpg"));
  private static final long MAX_UPLOAD = 8L << 20;
  private static final String ORIGIN = "https://app.example";
  private static final int RATE = 10;
  /** uploads.maxParts of {@link #app}. */
  private static final int MAX_PARTS = 4;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("limits", new JsonObject().put("maxUploadBytes", MAX_UPLOAD).put("maxPixels", MAX_PIXELS))
      .put("uploads", new JsonObject().put("maxParts", MAX_PARTS))
      .put("http", new JsonObject().put("cors", new JsonObject().put("origins", new JsonArray().add(ORIGIN)))));
  /** With a cap of 3 unfinished uploads per owner, a 2 s expiry and {@link #RATE} uploads per owner and minute. */
  @RegisterExtension
  static final RunningApp small = new RunningApp(new JsonObject()
      .put("uploads", new JsonObject().put("maxPartial", 3).put("expireSeconds", 2))
      .put("limits", new JsonObject().put("uploadsPerMinute", RATE)));

  @Test
  @DisplayName("OPTIONS advertises tus 1.0.0, its extensions, the size limit and the checksum algorithms, without a key")
  void options() throws Exception {
    HttpResponse<String> r = send(app.get(), "OPTIONS", "/v1/uploads", null, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Tus-Version")).hasValue("1.0.0");
    assertThat(r.headers().firstValue("Tus-Extension").orElseThrow().split(","))
        .contains("creation", "creation-with-upload", "termination", "expiration", "checksum");
    assertThat(r.headers().firstValue("Tus-Max-Size")).hasValue(String.valueOf(MAX_UPLOAD));
    assertThat(r.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow()).contains("sha256");
  }

  @Test
  @DisplayName("create, PATCH half with a checksum, HEAD, PATCH the rest: the answer names the image; the same bytes again give the same image")
  void wholeUpload() throws Exception {
    String url = create(app.get(), TestApp.ALICE, PHOTO.length, "filename " + b64("lumia.jpg") + ",filetype " + b64("text/plain"));
    int half = PHOTO.length / 2;
    HttpResponse<String> first = patch(app.get(), TestApp.ALICE, url, 0, Arrays.copyOfRange(PHOTO, 0, half), "sha256 " + sha256(PHOTO, 0, half));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
    assertThat(first.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(half));
    assertThat(first.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");
    assertThat(first.headers().firstValue("Image-Id")).isEmpty();

    HttpResponse<String> head = send(app.get(), "HEAD", url, TestApp.ALICE, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(half));
    assertThat(head.headers().firstValue("Upload-Length")).hasValue(String.valueOf(PHOTO.length));
    assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(head.headers().firstValue("Upload-Metadata").orElseThrow()).contains("filename " + b64("lumia.jpg"));
    assertThat(head.headers().firstValue("Upload-Expires").orElseThrow()).as("an RFC 9110 IMF-fixdate, two-digit day")
        .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

    // with Expect: 100-continue, as curl sends for a body over 1 MB: the server must answer 100 before the body comes
    HttpResponse<String> last = http.send(HttpRequest.newBuilder(uri(app.get(), url)).header("Tus-Resumable", "1.0.0")
        .header("Authorization", "Bearer " + TestApp.ALICE).header("Upload-Offset", String.valueOf(half))
        .header("Content-Type", "application/offset+octet-stream").expectContinue(true).timeout(Duration.ofSeconds(10))
        .method("PATCH", BodyPublishers.ofByteArray(Arrays.copyOfRange(PHOTO, half, PHOTO.length))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
    String id = last.headers().firstValue("Image-Id").orElseThrow();
    assertThat(last.headers().firstValue("Image-Location")).hasValue("/v1/images/" + id);
    assertThat(send(app.get(), "HEAD", url, TestApp.ALICE, null).headers().firstValue("Image-Id")).hasValue(id);
    assertThat(send(app.get(), "GET", "/v1/images/" + id, TestApp.ALICE, null).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> original = http.send(HttpRequest.newBuilder(uri(app.get(), "/v1/images/" + id + "/original"))
        .header("Authorization", "Bearer " + TestApp.WORKER).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(Corpus.sha256(original.body())).as("the original is the bytes sent").isEqualTo(Corpus.sha256(PHOTO));

    // creation-with-upload, the whole photo in the POST: the existing image, as a duplicate direct upload gets
    HttpResponse<String> again = send(app.get(), HttpRequest.newBuilder(uri(app.get(), "/v1/uploads")).header("Tus-Resumable", "1.0.0")
        .header("Authorization", "Bearer " + TestApp.ALICE).header("Upload-Length", String.valueOf(PHOTO.length))
        .header("Content-Type", "application/offset+octet-stream").POST(BodyPublishers.ofByteArray(PHOTO)));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(again.headers().firstValue("Image-Id")).hasValue(id);
    assertThat(app.get().stored().rowsWithSha(Corpus.sha256(PHOTO))).isEqualTo(1);
    String firstId = url.substring(url.lastIndexOf('/') + 1);
    String second = again.headers().firstValue("Location").orElseThrow().substring("/v1/uploads/".length());
    assertThat(app.get().stored().partialParts()).as("parts of completed uploads")
        .noneMatch(p -> p.toString().contains(firstId) || p.toString().contains(second));
  }

  @Test
  @DisplayName("a PATCH whose connection drops mid-body keeps the bytes that arrived: HEAD reports them")
  void cutPatchKeepsWhatArrived() throws Exception {
    String url = create(app.get(), TestApp.ALICE, 1000, null);
    try (Socket socket = new Socket("127.0.0.1", app.get().port())) {
      startPatch(socket, url, TestApp.ALICE, 1000, 400, "");
      // the server must have read the 400 bytes before the cut, or there is nothing to keep: wait for them
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (receivedBytes(app.get()) < 400 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000); // polling the condition
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String offset;
    while (!"400".equals(offset = send(app.get(), "HEAD", url, TestApp.ALICE, null).headers().firstValue("Upload-Offset").orElse(null))) {
      assertThat(System.nanoTime()).as("HEAD reports the 400 bytes received before the cut (last: %s)", offset).isLessThan(deadline);
      LockSupport.parkNanos(20_000_000); // polling the condition
    }
  }

  @Test
  @DisplayName("a browser page of an allowed origin may send the tus headers and PATCH, and read the tus answers")
  void corsPreflight() throws Exception {
    HttpResponse<String> preflight = send(app.get(), HttpRequest.newBuilder(uri(app.get(), "/v1/uploads/x")).header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "PATCH")
        .header("Access-Control-Request-Headers", "tus-resumable,upload-offset,upload-checksum,content-type,authorization")
        .method("OPTIONS", BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isBetween(200, 204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
        .contains("tus-resumable", "upload-offset", "upload-checksum", "upload-length", "upload-metadata");
    HttpResponse<String> created = send(app.get(), post(app.get(), TestApp.ALICE).header("Origin", ORIGIN).header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "10"));
    assertThat(created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("Upload-Offset", "Upload-Expires", "Location", "Tus-Resumable", "Image-Id", "Image-Location");
  }

  @Test
  @DisplayName("each protocol error is its documented problem, and a refused PATCH moves nothing")
  void protocolErrors() throws Exception {
    String url = create(app.get(), TestApp.ALICE, 1000, null);
    byte[] ten = new byte[10];
    // creation
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Upload-Length", "10")), 412, "tus-version-unsupported", "1.0.0");
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "0.2.2").header("Upload-Length", "10")), 412, "tus-version-unsupported", "1.0.0");
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0")), 400, "bad-request", null);
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", "-1")), 400, "bad-request", null);
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(MAX_UPLOAD + 1))),
        413, "payload-too-large", null);
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
        .header("Upload-Metadata", "filename !!notbase64")), 400, "bad-request", null);
    // 19 digits, past Long.MAX_VALUE (9223372036854775807)
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", "9999999999999999999")),
        400, "bad-request", null);
    // a control character (U+0000 here) is in no file name, and PostgreSQL's TEXT refuses U+0000
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
        .header("Upload-Metadata", "filename " + b64("a\u0000b.jpg"))), 400, "bad-request", null);
    problem(send(app.get(), post(app.get(), TestApp.ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
        .header("Upload-Metadata", "filetype " + b64("image/jpeg\n"))), 400, "bad-request", null);
    // PATCH
    problem(patch(app.get(), TestApp.ALICE, url, 5, ten, null), 409, "upload-offset-mismatch", null);
    problem(patch(app.get(), TestApp.ALICE, url, Long.MAX_VALUE, ten, null), 409, "upload-offset-mismatch", null);
    problem(send(app.get(), HttpRequest.newBuilder(uri(app.get(), url)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + TestApp.ALICE)
        .header("Upload-Offset", "9223372036854775808").header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", BodyPublishers.ofByteArray(ten))), 400, "bad-request", null);
    problem(send(app.get(), HttpRequest.newBuilder(uri(app.get(), url)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + TestApp.ALICE)
        .header("Upload-Offset", "0").header("Content-Type", "image/jpeg").method("PATCH", BodyPublishers.ofByteArray(ten))),
        415, "wrong-content-type", null);
    problem(send(app.get(), HttpRequest.newBuilder(uri(app.get(), url)).header("Authorization", "Bearer " + TestApp.ALICE)
        .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream").method("PATCH", BodyPublishers.ofByteArray(ten))),
        412, "tus-version-unsupported", "1.0.0");
    problem(send(app.get(), HttpRequest.newBuilder(uri(app.get(), url)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + TestApp.ALICE)
        .header("Content-Type", "application/offset+octet-stream").method("PATCH", BodyPublishers.ofByteArray(ten))), 400, "bad-request", null);
    problem(patch(app.get(), TestApp.ALICE, url, 0, ten, "sha256 " + sha256(new byte[11], 0, 11)), 460, "checksum-mismatch", null);
    problem(patch(app.get(), TestApp.ALICE, url, 0, ten, "crc32 AAAAAA=="), 400, "bad-request", null);
    problem(patch(app.get(), TestApp.ALICE, url, 0, new byte[1001], null), 413, "payload-too-large", null);
    HttpResponse<String> head = send(app.get(), "HEAD", url, TestApp.ALICE, null);
    assertThat(head.headers().firstValue("Upload-Offset")).as("nothing of a refused PATCH counts").hasValue("0");
  }

  @Test
  @DisplayName("another owner's upload answers 404 to HEAD, PATCH and DELETE, and is left as it was")
  void ownersApart() throws Exception {
    String url = create(app.get(), TestApp.ALICE, 100, null);
    assertThat(patch(app.get(), TestApp.ALICE, url, 0, new byte[40], null).statusCode()).isEqualTo(204);
    problem(send(app.get(), "HEAD", url, TestApp.BOB, null), 404, null, null);
    problem(patch(app.get(), TestApp.BOB, url, 40, new byte[10], null), 404, "not-found", null);
    problem(send(app.get(), "DELETE", url, TestApp.BOB, null), 404, "not-found", null);
    assertThat(send(app.get(), "HEAD", url, TestApp.ALICE, null).headers().firstValue("Upload-Offset")).hasValue("40");
    problem(send(app.get(), "HEAD", "/v1/uploads/not-an-id", TestApp.ALICE, null), 404, null, null);
    HttpResponse<String> noKey = send(app.get(), "HEAD", url, null, null);
    problem(noKey, 401, null, null);
    assertThat(noKey.headers().firstValue("Tus-Resumable")).as("tus wants it on every answer, a 401 too").hasValue("1.0.0");
  }

  /** What a direct upload refuses, as the last PATCH of an upload: the same problem, and nothing kept. */
  static Stream<Arguments> refusedImages() {
    byte[] jpeg = Corpus.bytes(Corpus.file("orientation", "landscape_3.jpg"));
    return Stream.of(
        Arguments.of("not an image", "this is not a photo, only words".repeat(40).getBytes(StandardCharsets.UTF_8), 415,
            "unsupported-format"),
        Arguments.of("the first 40% of a JPEG", Arrays.copyOf(jpeg, jpeg.length * 4 / 10), 422, "undecodable-image"),
        Arguments.of("a 5000x5000 PNG over limits.maxPixels", FlatPng.rgb(5000, 5000), 413, "too-many-pixels"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedImages")
  @DisplayName("an upload whose bytes a direct upload refuses ends with the same problem, and nothing is kept")
  void refusedImage(String what, byte[] bytes, int status, String slug) throws Exception {
    String url = create(app.get(), TestApp.ALICE, bytes.length, null);
    problem(patch(app.get(), TestApp.ALICE, url, 0, bytes, null), status, slug, null);
    problem(send(app.get(), "HEAD", url, TestApp.ALICE, null), 404, null, null);
    String upload = url.substring(url.lastIndexOf('/') + 1);
    assertThat(app.get().stored().partialParts()).noneMatch(p -> p.toString().contains(upload));
    assertThat(app.get().stored().uploadOffset(upload)).as("no row").isEqualTo(-1);
  }

  @Test
  @DisplayName("DELETE terminates an upload: 204, then 404, and its stored bytes are freed")
  void termination() throws Exception {
    String url = create(app.get(), TestApp.BOB, 100, null);
    assertThat(patch(app.get(), TestApp.BOB, url, 0, new byte[30], null).statusCode()).isEqualTo(204);
    String upload = url.substring(url.lastIndexOf('/') + 1);
    assertThat(app.get().stored().partialParts()).anyMatch(p -> p.toString().contains(upload));
    assertThat(send(app.get(), "DELETE", url, TestApp.BOB, null).statusCode()).isEqualTo(204);
    problem(send(app.get(), "HEAD", url, TestApp.BOB, null), 404, null, null);
    assertThat(app.get().stored().partialParts()).noneMatch(p -> p.toString().contains(upload));
  }

  @Test
  @DisplayName("of 10 creations sent at once by an owner with uploads.maxPartial 3, exactly 3 pass; the others get 429 with Retry-After")
  void partialCap() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(http.sendAsync(post(small.get(), TestApp.BOB).header("Tus-Resumable", "1.0.0").header("Upload-Length", "100")
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      answers.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(answers).as("created").filteredOn(r -> r.statusCode() == 201).hasSize(3);
    for (HttpResponse<String> refused : answers.stream().filter(r -> r.statusCode() != 201).toList()) {
      problem(refused, 429, "too-many-partial-uploads", null);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
    // another owner is not held back by Bob's
    create(small.get(), TestApp.ALICE, 100, null);
  }

  @Test
  @DisplayName("a creation whose body is refused (460, 413) answers with Location and Checksum Mismatch's phrase; the upload resumes from 0")
  void refusedCreationBodyKeepsLocation() throws Exception {
    byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
    // raw, to read the status line's reason phrase, which java.net.http does not expose
    String answer;
    try (Socket socket = new Socket("127.0.0.1", app.get().port())) {
      socket.setSoTimeout(10_000);
      String head = "POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + TestApp.BOB
          + "\r\nUpload-Length: 20\r\nUpload-Checksum: sha256 " + sha256(new byte[10], 0, 10)
          + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 10\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(ten);
      socket.getOutputStream().flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertThat(answer).startsWith("HTTP/1.1 460 Checksum Mismatch\r\n").contains("urn:imgedge:error:checksum-mismatch");
    String url = answer.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).findFirst().orElseThrow().substring(9).trim();
    HttpResponse<String> head = send(app.get(), "HEAD", url, TestApp.BOB, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue("0");
    assertThat(patch(app.get(), TestApp.BOB, url, 0, ten, "sha256 " + sha256(ten, 0, 10)).headers().firstValue("Upload-Offset")).hasValue("10");

    HttpResponse<String> tooLong = send(app.get(), HttpRequest.newBuilder(uri(app.get(), "/v1/uploads")).header("Tus-Resumable", "1.0.0")
        .header("Authorization", "Bearer " + TestApp.BOB).header("Upload-Length", "5")
        .header("Content-Type", "application/offset+octet-stream").POST(BodyPublishers.ofByteArray(ten)));
    problem(tooLong, 413, "payload-too-large", null);
    String second = tooLong.headers().firstValue("Location").orElseThrow();
    assertThat(send(app.get(), "HEAD", second, TestApp.BOB, null).headers().firstValue("Upload-Offset")).hasValue("0");
    assertThat(send(app.get(), "DELETE", url, TestApp.BOB, null).statusCode()).isEqualTo(204);
    assertThat(send(app.get(), "DELETE", second, TestApp.BOB, null).statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("an upload takes uploads.maxParts PATCHes that store bytes; one more is 413 too-many-parts and stores nothing")
  void partCap() throws Exception {
    String url = create(app.get(), TestApp.ADMIN, 10, null);
    for (int i = 0; i < MAX_PARTS; i++) {
      HttpResponse<String> r = patch(app.get(), TestApp.ADMIN, url, i, new byte[1], null);
      assertThat(r.statusCode()).as("PATCH %d: %s", i, r.body()).isEqualTo(204);
    }
    problem(patch(app.get(), TestApp.ADMIN, url, MAX_PARTS, new byte[1], null), 413, "too-many-parts", null);
    assertThat(send(app.get(), "HEAD", url, TestApp.ADMIN, null).headers().firstValue("Upload-Offset")).hasValue(String.valueOf(MAX_PARTS));
    String upload = url.substring(url.lastIndexOf('/') + 1);
    assertThat(app.get().stored().partialParts()).filteredOn(p -> p.toString().contains(upload)).hasSize(MAX_PARTS);
    assertThat(send(app.get(), "DELETE", url, TestApp.ADMIN, null).statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("a PATCH whose upload is terminated while its body arrives answers 404 and leaves no part behind")
  void terminatedDuringPatch() throws Exception {
    String url = create(app.get(), TestApp.BOB, 1000, null);
    String upload = url.substring(url.lastIndexOf('/') + 1);
    long before = receivedBytes(app.get());
    try (Socket socket = new Socket("127.0.0.1", app.get().port())) {
      socket.setSoTimeout(10_000);
      startPatch(socket, url, TestApp.BOB, 100, 40, "Connection: close\r\n");
      // the PATCH is under way once its first bytes are in the staging file: terminate the upload then
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (receivedBytes(app.get()) < before + 40) {
        assertThat(System.nanoTime()).as("the server reads the first 40 bytes").isLessThan(deadline);
        LockSupport.parkNanos(10_000_000); // polling the condition
      }
      assertThat(send(app.get(), "DELETE", url, TestApp.BOB, null).statusCode()).isEqualTo(204);
      socket.getOutputStream().write(new byte[60]);
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).as("the PATCH's answer").startsWith("HTTP/1.1 404 ").contains("urn:imgedge:error:not-found");
    }
    assertThat(app.get().stored().partialParts()).as("parts of the terminated upload").noneMatch(p -> p.toString().contains(upload));
  }

  @Test
  @DisplayName("HEADs while the last PATCH is being ingested answer 200, all bytes and no image yet; one image is recorded")
  void headDuringCompletion() throws Exception {
    byte[] photo = Corpus.bytes(Corpus.file("photos", "sony-d5403-xperia-z2.jpg"));
    String url = create(app.get(), TestApp.BOB, photo.length, null);
    HttpRequest last = HttpRequest.newBuilder(uri(app.get(), url)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + TestApp.BOB)
        .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream").timeout(Duration.ofSeconds(30))
        .method("PATCH", BodyPublishers.ofByteArray(photo)).build();
    CompletableFuture<HttpResponse<String>> completing = http.sendAsync(last, HttpResponse.BodyHandlers.ofString());
    int whileClaimed = 0;
    while (!completing.isDone()) {
      HttpResponse<String> head = send(app.get(), "HEAD", url, TestApp.BOB, null);
      assertThat(head.statusCode()).as("HEAD during the completion").isEqualTo(200);
      if (String.valueOf(photo.length).equals(head.headers().firstValue("Upload-Offset").orElse(null))
          && head.headers().firstValue("Image-Id").isEmpty()) {
        whileClaimed++;
      }
    }
    HttpResponse<String> done = completing.get();
    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    String id = done.headers().firstValue("Image-Id").orElseThrow();
    assertThat(send(app.get(), "HEAD", url, TestApp.BOB, null).headers().firstValue("Image-Id")).hasValue(id);
    assertThat(app.get().stored().rowsWithSha(Corpus.sha256(photo))).isEqualTo(1);
    // the ingest (decode, variants) takes far longer than a HEAD: some HEADs must have found it claimed, and
    // none of them ran a second ingest of their own, which would have given the image's id instead
    assertThat(whileClaimed).as("HEADs that found the completion under way").isPositive();
  }

  @Test
  @DisplayName("limits.uploadsPerMinute counts a resumable upload once, at creation, however many PATCHes it takes")
  void rateCountsCreationsOnly() throws Exception {
    String url = create(small.get(), TestApp.ALICE, RATE + 2, null);
    for (int i = 0; i <= RATE; i++) {
      HttpResponse<String> r = patch(small.get(), TestApp.ALICE, url, i, new byte[1], null);
      assertThat(r.statusCode()).as("PATCH %d: %s", i, r.body()).isEqualTo(204);
    }
    create(small.get(), TestApp.ALICE, 10, null);
  }

  @Test
  @DisplayName("an abandoned upload expires after uploads.expireSeconds: Upload-Expires says when, then 404, and the sweep frees its bytes")
  void expiry() throws Exception {
    String url = create(small.get(), TestApp.ADMIN, 100, null);
    HttpResponse<String> patched = patch(small.get(), TestApp.ADMIN, url, 0, new byte[50], null);
    assertThat(patched.headers().firstValue("Upload-Expires")).isPresent();
    String upload = url.substring(url.lastIndexOf('/') + 1);
    assertThat(small.get().stored().partialParts()).anyMatch(p -> p.toString().contains(upload));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(small.get().stored().uploadOffset(upload) == -1 && small.get().stored().partialParts().stream().noneMatch(p -> p.toString().contains(upload)))) {
      assertThat(System.nanoTime()).as("the sweep frees the expired upload within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(50_000_000); // polling the condition, not waiting a guessed time
    }
    problem(send(small.get(), "HEAD", url, TestApp.ADMIN, null), 404, null, null);
  }

  private static String create(TestApp target, String key, long length, String metadata) throws Exception {
    HttpRequest.Builder b = post(target, key).header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(length));
    if (metadata != null) {
      b.header("Upload-Metadata", metadata);
    }
    HttpResponse<String> r = send(target, b);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Upload-Offset")).hasValue("0");
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static HttpRequest.Builder post(TestApp target, String key) {
    return HttpRequest.newBuilder(uri(target, "/v1/uploads")).header("Authorization", "Bearer " + key).POST(BodyPublishers.noBody());
  }

  private static HttpResponse<String> patch(TestApp target, String key, String url, long offset, byte[] body, String checksum) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(target, url)).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key)
        .header("Upload-Offset", String.valueOf(offset)).header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", BodyPublishers.ofByteArray(body));
    if (checksum != null) {
      b.header("Upload-Checksum", checksum);
    }
    return send(target, b);
  }

  /**
   * Starts a PATCH from offset 0 on a raw socket: the head declares {@code declared} bytes and only the
   * first {@code sent} (zeros) follow, so that the test can cut the connection or act mid-body.
   */
  private static void startPatch(Socket socket, String url, String key, int declared, int sent, String moreHeaders)
      throws IOException {
    String head = "PATCH " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer " + key
        + "\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + declared + "\r\n"
        + moreHeaders + "\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(new byte[sent]);
    socket.getOutputStream().flush();
  }

  private static HttpResponse<String> send(TestApp target, String method, String path, String key, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(target, path)).header("Tus-Resumable", "1.0.0")
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return send(target, b);
  }

  private static HttpResponse<String> send(@SuppressWarnings("unused") TestApp target, HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(TestApp target, String path) {
    return URI.create("http://127.0.0.1:" + target.port() + path);
  }

  /** A problem+json answer of {@code status} and type slug (null: any), with Tus-Version when given. */
  private static void problem(HttpResponse<String> r, int status, String slug, String tusVersion) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    if (!"HEAD".equals(r.request().method())) {
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      if (slug != null) {
        assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("urn:imgedge:error:" + slug);
      }
    }
    if (tusVersion != null) {
      assertThat(r.headers().firstValue("Tus-Version")).hasValue(tusVersion);
    }
  }

  /** Bytes in the bodies being received (staging/tus), as the server wrote them. */
  private static long receivedBytes(TestApp target) throws IOException {
    Path dir = target.storage().resolve("staging/tus");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.list(dir)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes, int from, int to) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(bytes, from, to - from);
    return Base64.getEncoder().encodeToString(md.digest());
  }
}
