package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM is how orchestrators stop a node. The service then stops accepting connections, lets the
 * uploads under way finish within {@code http.drainSeconds}, and exits; an upload still unfinished when
 * the window closes is cut off and leaves nothing behind.
 */
class GracefulStopTest {

  private static final byte[] PHOTO = Corpus.bytes(Corpus.file("photos", "nokia-lumia-800.jpg"));

  @TempDir
  Path storage;

  @Test
  void uploadUnderWayFinishesAfterSigterm() throws Exception {
    ServiceProcess service = ServiceProcess.start(storage, Backend.embedded(), drain(30));
    try (Socket upload = new Socket("127.0.0.1", service.port())) {
      OutputStream out = upload.getOutputStream();
      int half = PHOTO.length / 2;
      out.write(headers(PHOTO.length));
      out.write(PHOTO, 0, half);
      out.flush();

      long term = System.nanoTime();
      service.terminate();
      awaitRefused(service);
      out.write(PHOTO, half, PHOTO.length - half);
      out.flush();
      String response = readResponse(upload.getInputStream());
      assertThat(response).as("the upload under way when SIGTERM came\n%s", service.logTail()).startsWith("HTTP/1.1 201");

      int status = service.awaitExit(Duration.ofSeconds(30));
      long exitMillis = (System.nanoTime() - term) / 1_000_000;
      // the JVM reports a stop by SIGTERM as 128 + 15 once its shutdown hooks have run
      assertThat(status).as("exit status\n%s", service.logTail()).isIn(0, 143);
      System.out.printf("graceful stop: upload under way answered 201, process exited %d ms after SIGTERM%n", exitMillis);

      String id = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getString("id");
      ServiceProcess restarted = ServiceProcess.start(storage, Backend.embedded(), drain(30));
      HttpResponse<byte[]> original = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(restarted.uri("/v1/images/" + id + "/original"))
              .header("Authorization", "Bearer " + TestApp.WORKER).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(original.statusCode()).isEqualTo(200);
      assertThat(original.body()).as("the drained upload, after a restart").isEqualTo(PHOTO);
      restarted.kill();
    }
  }

  @Test
  void uploadStillUnfinishedWhenTheWindowClosesLeavesNothing() throws Exception {
    ServiceProcess service = ServiceProcess.start(storage, Backend.embedded(), drain(1), Map.of("TEST_LOG_LEVEL", "INFO"));
    try (Socket upload = new Socket("127.0.0.1", service.port())) {
      upload.setSoTimeout(20_000);
      OutputStream out = upload.getOutputStream();
      out.write(headers(PHOTO.length));
      out.write(PHOTO, 0, PHOTO.length / 2);
      out.flush();

      service.terminate();
      // never sends the rest: once the window has passed the server closes the connection
      assertThat(upload.getInputStream().read()).as("the connection is closed, with no answer").isEqualTo(-1);
      service.awaitExit(Duration.ofSeconds(20));
    }
    // the operator reads that an upload was cut, once, between the drain's start and the stop
    assertThat(service.log()).containsOnlyOnce("imgedge stopping: no new connections")
        .containsOnlyOnce("1 request(s) cut before they were answered").containsOnlyOnce("imgedge stopped");
    assertThat(service.stored().rows()).isZero();
    assertThat(service.stored().blobFiles()).isEmpty();
    // whatever the cut-off upload staged is gone by the next start at the latest
    ServiceProcess restarted = ServiceProcess.start(storage, Backend.embedded(), drain(1));
    assertThat(restarted.stored().stagingFiles()).isEmpty();
    restarted.kill();
  }

  private static JsonObject drain(int seconds) {
    return new JsonObject().put("http", new JsonObject().put("drainSeconds", seconds));
  }

  private static byte[] headers(int length) {
    return ("POST /v1/images HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApp.ALICE
        + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Polls until the service refuses new connections: it has stopped listening. */
  private static void awaitRefused(ServiceProcess service) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket probe = new Socket("127.0.0.1", service.port())) {
        assertThat(System.nanoTime()).as("still accepting connections after SIGTERM").isLessThan(deadline);
      } catch (ConnectException refused) {
        return;
      } catch (SocketException reset) {
        // a probe that reached the backlog just as the service closed its listening socket is reset by it: the
        // service has stopped listening all the same
        if (String.valueOf(reset.getMessage()).contains("reset")) {
          return;
        }
        throw new AssertionError(reset);
      } catch (IOException other) {
        throw new AssertionError(other);
      }
      service.process().waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  /** Reads one response whose body has a Content-Length (the service's JSON answers do). */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    int headerEnd = -1;
    int length = -1;
    byte[] buf = new byte[8192];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      all.write(buf, 0, n);
      String text = all.toString(StandardCharsets.UTF_8);
      if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
        for (String line : text.substring(0, headerEnd).split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
      }
      if (headerEnd >= 0 && length >= 0 && all.size() >= headerEnd + 4 + length) {
        break;
      }
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
