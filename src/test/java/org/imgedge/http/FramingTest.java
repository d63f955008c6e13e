package org.imgedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests whose framing cannot be trusted get one problem+json answer and a closed connection, so
 * bytes after them are never read as a second request. Sent over raw sockets: an HTTP client would
 * refuse to write most of them.
 */
@WithService
class FramingTest {

  /** A request smuggled behind the first: it must never be answered. */
  private static final String SMUGGLED = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test
  @DisplayName("a request line longer than the server reads is 414 problem+json, and the connection closes")
  void longRequestLine() throws IOException {
    String answer = exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRefused(answer, 414, "urn:imgedge:error:uri-too-long");
  }

  @Test
  @DisplayName("headers larger than the server reads are 431 problem+json, and the connection closes")
  void largeHeaders() throws IOException {
    String answer = exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n" + SMUGGLED);
    assertRefused(answer, 431, "urn:imgedge:error:headers-too-large");
  }

  @Test
  @DisplayName("a head that is not HTTP is 400 problem+json, and the connection closes")
  void notHttp() throws IOException {
    String answer = exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n" + SMUGGLED);
    assertRefused(answer, 400, "urn:imgedge:error:bad-request");
  }

  @ParameterizedTest(name = "Transfer-Encoding: {0}")
  @ValueSource(strings = {"xchunked", "chunked, identity", "gzip, chunked", "identity"})
  @DisplayName("a transfer coding other than exactly 'chunked' is 400 problem+json before the body is read, and the connection closes")
  void unknownCodings(String codings) throws IOException {
    String answer = exchange("POST /v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ALICE
        + "\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: " + codings + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertRefused(answer, 400, "urn:imgedge:error:bad-request");
    assertThat(answer).contains("Transfer-Encoding must be exactly 'chunked'");
  }

  @Test
  @DisplayName("a request with both Content-Length and Transfer-Encoding is 400 problem+json, and the connection closes")
  void lengthAndCodings() throws IOException {
    // A front end that frames by Content-Length would read the smuggled request as this one's body
    String body = "0\r\n\r\n" + SMUGGLED;
    String answer = exchange("POST /v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ALICE
        + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    assertRefused(answer, 400, "urn:imgedge:error:bad-request");
    assertThat(answer).contains("both Content-Length and Transfer-Encoding");
  }

  @ParameterizedTest(name = "chunk size {0}")
  @ValueSource(strings = {"zz", "-5", "ffffffffffffffffff"})
  @DisplayName("a malformed chunk size is 400 problem+json, and the connection closes")
  void malformedChunkSize(String size) throws IOException {
    String answer = exchange("POST /v1/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestApp.ALICE
        + "\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n" + SMUGGLED);
    assertRefused(answer, 400, "urn:imgedge:error:bad-request");
  }

  private static void assertRefused(String answer, int status, String type) {
    // HTTP/1.0 when the request line was too long for its version to be read
    assertThat(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
    assertThat(answer).containsIgnoringCase("content-type: application/problem+json").contains("\"type\":\"" + type + "\"");
    assertThat(answer.split("HTTP/1\\.[01] \\d{3} ", -1)).as("one answer only: nothing after the refused request was read")
        .hasSize(2);
  }

  /** Writes the bytes and reads until the server closes the connection (failing if it does not within 5 s). */
  private static String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service().port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection was still open 5 s after: " + answer.toString(StandardCharsets.ISO_8859_1));
      } catch (IOException reset) {
        // a reset after the answer still ends the connection; what was read is the answer
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
