package org.imgedge.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A blocking HTTP client of a service on a known base URI (a {@link ServiceProcess}, which may be
 * killed and restarted on another port), speaking the API as a phone, a worker or an admin would.
 * Each call returns the status and body as they came; callers assert.
 */
public final class ServiceClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Function<String, URI> uri;

  /** @param uri resolves a path such as {@code /v1/images} against the service's current address */
  public ServiceClient(Function<String, URI> uri) {
    this.uri = uri;
  }

  /** What came back: the status, and the body as text (JSON for everything but variant and original bytes). */
  public record Answer(int status, byte[] body, HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    }

    /** The header's value, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + new String(body, StandardCharsets.UTF_8);
    }
  }

  public Answer uploadRaw(String key, byte[] image, String contentType) {
    return send(request("/v1/images", key).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(image)));
  }

  /** A {@code multipart/form-data} upload with the file in the part named {@code image}, as a browser form sends it. */
  public Answer uploadMultipart(String key, byte[] image, String fileName) {
    String boundary = "imgedge-test-" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return send(request("/v1/images", key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  public Answer get(String path, String key) {
    return send(request(path, key).GET());
  }

  public Answer delete(String imageId, String key) {
    return send(request("/v1/images/" + imageId, key).DELETE());
  }

  public Answer claim(int leaseSeconds) {
    return postJson("/v1/jobs/claim", new JsonObject().put("leaseSeconds", leaseSeconds));
  }

  public Answer complete(String jobId, JsonObject result) {
    return postJson("/v1/jobs/" + jobId + "/complete", new JsonObject().put("result", result));
  }

  public Answer fail(String jobId, String error) {
    return postJson("/v1/jobs/" + jobId + "/fail", new JsonObject().put("error", error));
  }

  /** Every image id the key's owner can list (all of them for an admin), following the cursors. */
  public Set<String> listAll(String key) {
    Set<String> ids = new LinkedHashSet<>();
    String cursor = null;
    do {
      Answer page = get("/v1/images?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), key);
      if (page.status() != 200) {
        throw new AssertionError("list answered " + page);
      }
      JsonObject body = page.json();
      for (Object item : body.getJsonArray("items", new JsonArray())) {
        ids.add(((JsonObject) item).getString("id"));
      }
      cursor = body.getString("nextCursor");
    } while (cursor != null);
    return ids;
  }

  /** tus creation: {@code POST /v1/uploads} of an upload of {@code length} bytes; its path is in {@code Location}. */
  public Answer createUpload(String key, long length) {
    return send(tus(request("/v1/uploads", key)).header("Upload-Length", Long.toString(length))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** tus {@code PATCH} of {@code bytes} at {@code offset}. */
  public Answer patchUpload(String path, String key, long offset, byte[] bytes) {
    return send(tus(request(path, key)).header("Upload-Offset", Long.toString(offset))
        .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  public Answer headUpload(String path, String key) {
    return send(tus(request(path, key)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
  }

  /** tus termination. */
  public Answer deleteUpload(String path, String key) {
    return send(tus(request(path, key)).DELETE());
  }

  private static HttpRequest.Builder tus(HttpRequest.Builder request) {
    return request.header("Tus-Resumable", "1.0.0");
  }

  private Answer postJson(String path, JsonObject body) {
    return send(request(path, TestApp.WORKER).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri.apply(path)).timeout(TIMEOUT);
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return builder;
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
