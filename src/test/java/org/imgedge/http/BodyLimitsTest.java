package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.imgedge.testing.LoggedProblems;
import org.imgedge.testing.RunningApp;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upload bodies from a raw socket, the way no well-behaved client sends them: over the byte limit with a
 * declared length, or chunked without one, never finished; and malformed multipart. The answer must arrive
 * while the client is still owing bytes (413 as soon as the limit is crossed), as problem+json with
 * {@code Connection: close}; staging ends empty and nothing is stored.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
class BodyLimitsTest {

  private static final int LIMIT = 1_000_000;
  /** Not a timing goal: how long the client waits for an answer (or the close) before calling it hung. */
  private static final int ANSWER_MILLIS = 2_000;
  /** Not a timing goal either: how long after the answer the server may take to close the connection. */
  private static final int CLOSE_MILLIS = 5_000;

  @RegisterExtension
  static final RunningApp app = new RunningApp(new JsonObject()
      .put("limits", new JsonObject().put("maxUploadBytes", LIMIT)));

  private LoggedProblems logged;

  @BeforeEach
  void recordLogs() {
    logged = LoggedProblems.record();
  }

  @AfterEach
  void nothingStoredNothingLogged(Vertx vertx, VertxTestContext ctx) {
    app.get().stored().stagingDrained(vertx, 250).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      logged.close();
      assertThat(app.get().stored().rows()).isZero();
      assertThat(app.get().stored().blobFiles()).isEmpty();
      // a 5xx is logged at ERROR by the access log, a failure with a stack by whoever caught it
      assertThat(logged.seen()).as("errors and stack traces logged").isEmpty();
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
      "image/jpeg, declared",
      "image/jpeg, chunked",
      "multipart/form-data; boundary=xyz, declared",
      "multipart/form-data; boundary=xyz, chunked"})
  @DisplayName("a body over the limit gets 413 problem+json while the client still owes bytes, with Connection: close")
  void overLimitAnsweredEarly(String contentType, String framing) throws IOException {
    boolean chunked = framing.equals("chunked");
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/images HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApp.ALICE
          + "\r\nContent-Type: " + contentType + "\r\n"
          + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + 10L * LIMIT + "\r\n") + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      long sent = 0;
      byte[] chunk = filler(contentType, 64 * 1024);
      if (chunked) {
        // a little over the limit, and then the client stops without ever ending the body
        try {
          while (sent <= LIMIT + chunk.length) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            sent += chunk.length;
          }
        } catch (IOException closedEarly) {
          // the server answered and closed before we finished: that is the point
        }
      }
      out.flush();
      String response = readResponse(socket.getInputStream());
      assertThat(response).as("sent %d of %s bytes", sent, chunked ? "unbounded" : String.valueOf(10L * LIMIT))
          .startsWith("HTTP/1.1 413");
      // The server will not reuse the connection; it does not cut it at once either, since a close with
      // unread bytes sends a reset that can destroy the answer before the client reads it.
      assertThat(response).containsIgnoringCase("content-type: application/problem+json")
          .containsIgnoringCase("connection: close")
          .contains("urn:imgedge:error:payload-too-large");
      assertClosedSoon(socket);
    }
  }

  static Stream<Arguments> malformedMultipart() {
    String part = "--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n\u00ff\u00d8\u00ff\u00e0 data";
    return Stream.of(
        Arguments.of("boundary in the header differs from the body's", "multipart/form-data; boundary=other", part + "\r\n--xyz--\r\n"),
        Arguments.of("no closing boundary", "multipart/form-data; boundary=xyz", part),
        Arguments.of("cut in the middle of the part headers", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-da"),
        Arguments.of("no boundary parameter", "multipart/form-data", part + "\r\n--xyz--\r\n"),
        Arguments.of("empty body", "multipart/form-data; boundary=xyz", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  @DisplayName("a malformed multipart body gets a 4xx problem+json within 2 s, never a 5xx or a hang")
  void malformedMultipart(String what, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/images HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApp.ALICE
          + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      String response = readResponse(socket.getInputStream());
      System.out.println("malformed multipart, " + what + ": " + response.lines().findFirst().orElse(""));
      assertThat(response).as(what).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
      assertThat(response).containsIgnoringCase("content-type: application/problem+json");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"image/jpeg", "multipart/form-data; boundary=xyz"})
  @DisplayName("a client that vanishes halfway through its body leaves nothing in staging")
  void clientVanishes(String contentType) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/images HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApp.ALICE
          + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + LIMIT / 2 + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(filler(contentType, LIMIT / 4));
      out.flush();
      // the body has reached staging before the client goes, or the drain checked after this test proves nothing
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_MILLIS);
      while (app.get().stored().stagingFiles().isEmpty()) {
        assertThat(System.nanoTime()).as("a staged file for the half-sent body").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a pause between looks, not a wait for time to pass
      }
    }
    // @AfterEach waits for staging to drain
  }

  /**
   * After a refused body the server closes the connection itself, with a FIN once it has drained what the
   * client sent (not a reset), instead of leaving it to the idle timeout.
   */
  private static void assertClosedSoon(Socket socket) throws IOException {
    socket.setSoTimeout(CLOSE_MILLIS);
    InputStream in = socket.getInputStream();
    try {
      assertThat(in.read()).as("bytes after the answer").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection was still open " + CLOSE_MILLIS + " ms after the answer");
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("localhost", app.get().port());
    socket.setSoTimeout(ANSWER_MILLIS);
    return socket;
  }

  /** Bytes that look like the start of an upload of that kind (a multipart part header, then JPEG-ish data). */
  private static byte[] filler(String contentType, int size) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) 'x');
    byte[] head = (contentType.startsWith("multipart")
        ? "--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        : "\u00ff\u00d8\u00ff\u00e0").getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  /** Status line, headers and the body its Content-Length announces; fails on a read timeout (a hang). */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int headerEnd = -1;
    long contentLength = 0;
    try {
      while (true) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        got.write(c);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
          headerEnd = text.length();
          var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
          contentLength = m.find() ? Long.parseLong(m.group(1)) : 0;
        }
        if (headerEnd >= 0 && text.length() >= headerEnd + contentLength) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete answer within " + ANSWER_MILLIS + " ms; got: " + got.toString(StandardCharsets.ISO_8859_1));
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }
}
