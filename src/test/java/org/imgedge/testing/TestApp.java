package org.imgedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.imgedge.app.MainVerticle;

/**
 * The real service, started in a test's {@link Vertx} on a free port with its own temporary storage
 * (SQLite file, blobs, staging) and fixed API keys. Requests go through one {@link WebClient} that
 * lives as long as the app and is closed by {@link #close()}.
 */
public final class TestApp {

  public static final String ALICE = "alice-client-key-0123456789";
  public static final String BOB = "bob-client-key-0123456789";
  public static final String WORKER = "worker-key-0123456789abcdef";
  public static final String ADMIN = "admin-key-0123456789abcdef";

  private final Vertx vertx;
  private final String deploymentId;
  private final MainVerticle main;
  private final Path storage;
  private final Backend backend;
  private final boolean ownsBackend;
  private final WebClient client;

  private TestApp(Vertx vertx, String deploymentId, MainVerticle main, Path storage, Backend backend, boolean ownsBackend) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.main = main;
    this.storage = storage;
    this.backend = backend;
    this.ownsBackend = ownsBackend;
    // Enough connections that parallel uploads really are parallel, not queued in the client.
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(main.httpPort()),
        new PoolOptions().setHttp1MaxSize(32));
  }

  /** Starts with the defaults of conf/config.json, the test keys and a fresh storage folder. */
  public static Future<TestApp> start(Vertx vertx) {
    return start(vertx, new JsonObject());
  }

  /**
   * @param overrides merged (deeply) over the test configuration, e.g. {@code {"imaging": {"codec": "turbo"}}};
   *     {@code presets}, when given, replaces the default presets instead (a merge could only add to them)
   */
  public static Future<TestApp> start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, Backend.fromBuild(), true);
  }

  /** Starts one node of a deployment whose data lives in {@code backend}; closing the app leaves the backend open. */
  public static Future<TestApp> start(Vertx vertx, JsonObject overrides, Backend backend) {
    return start(vertx, overrides, backend, false);
  }

  /**
   * Starts with its storage (SQLite file, blobs, staging) in {@code storage}, a folder the caller owns,
   * e.g. a small file system of its own; closing the app empties the folder but leaves it.
   */
  public static Future<TestApp> startIn(Vertx vertx, Path storage, JsonObject overrides) {
    return start(vertx, overrides, Backend.embedded(), true, storage);
  }

  private static Future<TestApp> start(Vertx vertx, JsonObject overrides, Backend backend, boolean ownsBackend) {
    return start(vertx, overrides, backend, ownsBackend, tempDir());
  }

  private static Future<TestApp> start(Vertx vertx, JsonObject overrides, Backend backend, boolean ownsBackend, Path storage) {
    JsonObject config = defaults()
        .mergeIn(new JsonObject()
            .put("http", new JsonObject().put("port", 0).put("instances", 1))
            .put("storage", new JsonObject().put("dir", storage.toString()))
            .put("auth", new JsonObject().put("keys", testKeys()))
            .put("imaging", new JsonObject().put("workers", 2)), true)
        .mergeIn(backend.config(), true)
        .mergeIn(overrides, true);
    if (overrides.containsKey("presets")) {
      config.put("presets", overrides.getJsonObject("presets").copy());
    }
    MainVerticle main = new MainVerticle();
    return vertx.deployVerticle(main, new DeploymentOptions().setConfig(config))
        .map(id -> new TestApp(vertx, id, main, storage, backend, ownsBackend))
        .onFailure(e -> {
          if (ownsBackend) {
            backend.close();
          }
        });
  }

  /** Closes the client, undeploys the service and removes its storage. */
  public Future<Void> close() {
    client.close();
    return vertx.undeploy(deploymentId)
        .eventually(() -> vertx.fileSystem().deleteRecursive(storage.toString()).otherwiseEmpty())
        .eventually(() -> ownsBackend ? vertx.executeBlocking(() -> {
          backend.close();
          return null;
        }) : Future.succeededFuture())
        .mapEmpty();
  }

  /**
   * Closes the app and then the Vert.x it ran on, waiting for each, for a test class that started them
   * itself; either may be null when the start failed half-way.
   */
  public static void closeWith(TestApp app, Vertx vertx) throws Exception {
    try {
      if (app != null) {
        app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  public int port() {
    return main.httpPort();
  }

  /** The management listener's port; fails when the app was started without {@code http.managementPort}. */
  public int managementPort() {
    return main.managementPort().orElseThrow();
  }

  public Path storage() {
    return storage;
  }

  public WebClient client() {
    return client;
  }

  /** What is stored: rows and files, read directly from storage. */
  public Storage stored() {
    return new Storage(storage, backend);
  }

  public HttpRequest<Buffer> request(HttpMethod method, String uri, String key) {
    HttpRequest<Buffer> request = client.request(method, uri);
    return key == null ? request : request.bearerTokenAuthentication(key);
  }

  public HttpRequest<Buffer> get(String uri, String key) {
    return request(HttpMethod.GET, uri, key);
  }

  /** Uploads a file as multipart/form-data in the part {@code image}. */
  public Future<HttpResponse<Buffer>> upload(String key, Path file) {
    return request(HttpMethod.POST, "/v1/images", key).sendMultipartForm(MultipartForm.create()
        .binaryFileUpload("image", file.getFileName().toString(), file.toString(), "image/jpeg"));
  }

  /**
   * Uploads a file as {@link #upload} does and waits for the answer, for a blocking test that goes on
   * to look at the image.
   *
   * @return the answer, once it is 201; otherwise fails with the answer's body
   */
  public HttpResponse<Buffer> uploadCreated(String key, Path file) throws Exception {
    HttpResponse<Buffer> created = upload(key, file).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created;
  }

  /** Uploads bytes as a raw body with the given Content-Type. */
  public Future<HttpResponse<Buffer>> uploadRaw(String key, Buffer body, String contentType) {
    return request(HttpMethod.POST, "/v1/images", key).putHeader("Content-Type", contentType).sendBuffer(body);
  }

  public Future<HttpResponse<Buffer>> uploadRaw(String key, Path file) {
    return vertx.fileSystem().readFile(file.toString()).compose(b -> uploadRaw(key, b, "image/jpeg"));
  }

  static JsonArray testKeys() {
    return new JsonArray()
        .add(key(ALICE, "alice", "client"))
        .add(key(BOB, "bob", "client"))
        .add(key(WORKER, "worker-1", "worker"))
        .add(key(ADMIN, "ops", "admin"));
  }

  private static JsonObject key(String key, String subject, String role) {
    return new JsonObject().put("key", key).put("subject", subject).put("role", role);
  }

  /** The operators' defaults file, read from the project folder as the service reads it. */
  static JsonObject defaults() {
    Path file = Path.of(System.getProperty("basedir", ".")).resolve("conf/config.json");
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("imgedge-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
