package org.imgedge.presets;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Poll;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.StartedNodes;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Presets that change while images exist: {@code small} made smaller, {@code medium} removed and
 * {@code large} added, by restarting with another configuration. Until the regeneration reaches an
 * image, the new preset's URL answers 404 variant-pending; afterwards every image has exactly the new
 * presets, the removed one's blobs are gone and its URL is 404, on every node. The regeneration runs
 * on one node at a time and survives that node's SIGKILL.
 */
class PresetChangeTest {

  private static final JsonObject OLD = new JsonObject();
  /** The default presets made in JPEG alone, as every variant was before WebP. */
  private static final JsonObject JPEG_ONLY = new JsonObject().put("presets", new JsonObject()
      .put("small", new JsonObject().put("box", 400).put("formats", new JsonArray().add("jpeg")))
      .put("medium", new JsonObject().put("box", 1000).put("formats", new JsonArray().add("jpeg"))));
  private static final JsonObject NEW = new JsonObject().put("presets", new JsonObject()
      .put("small", new JsonObject().put("box", 300).put("quality", 85))
      .putNull("medium")
      .put("large", new JsonObject().put("box", 1600).put("quality", 85)));

  @TempDir
  Path storage;
  @TempDir
  Path otherStorage;
  @RegisterExtension
  final StartedNodes nodes = new StartedNodes();

  /** Photos of every kind the corpus has: camera JPEGs, iPhone HEICs, a rotated JPEG, a PNG. */
  private static List<Path> photos() {
    List<Path> photos = new ArrayList<>(Corpus.files("photos"));
    photos.addAll(Corpus.files("heic"));
    photos.add(Corpus.file("orientation", "landscape_6.jpg"));
    photos.add(Corpus.file("formats", "sample.png"));
    return photos;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "production"})
  @DisplayName("small changed, medium removed, large added: pending until regenerated, then exactly the new presets")
  void presetsChangeAndImagesFollow(String kind) throws Exception {
    try (Backend backend = kind.equals("production") ? Backend.production() : Backend.embedded()) {
      ServiceProcess before = nodes.start(storage, backend, withRegeneration(OLD, 2));
      ServiceClient client = new ServiceClient(before::uri);
      Map<String, JsonObject> images = uploadAll(client);
      nodes.stop(before);

      // The new list, on a node that does not regenerate: nothing is made yet, and every answer says so.
      ServiceProcess waiting = nodes.start(storage, backend, withRegeneration(NEW, 0));
      client = new ServiceClient(waiting::uri);
      JsonObject report = admin(client);
      assertThat(report.getJsonArray("presets").stream().map(p -> ((JsonObject) p).getString("name")).toList())
          .containsExactly("small", "large");
      assertThat(report.getJsonObject("regeneration").getString("state")).isEqualTo("pending");
      for (String id : images.keySet()) {
        assertThat(problemType(client.get("/v1/images/" + id + "/large.jpg", null)))
            .as("large of %s before the regeneration", id).isEqualTo("urn:imgedge:error:variant-pending");
        assertThat(problemType(client.get("/v1/images/" + id + "/huge.jpg", null))).isEqualTo("urn:imgedge:error:not-found");
        // a removed preset's variants are served until the regeneration removes them
        assertThat(client.get("/v1/images/" + id + "/medium.jpg", null).status()).isEqualTo(200);
      }
      Answer fresh = client.uploadMultipart(TestApp.ALICE, Corpus.bytes(Corpus.file("orientation", "landscape_3.jpg")), "new.jpg");
      assertThat(fresh.status()).isEqualTo(201);
      assertThat(fresh.json().getJsonObject("variants").fieldNames()).as("an upload under the new list")
          .containsExactlyInAnyOrder("small", "large");
      nodes.stop(waiting);

      ServiceProcess after = nodes.start(storage, backend, withRegeneration(NEW, 2));
      client = new ServiceClient(after::uri);
      long start = System.nanoTime();
      JsonObject done = awaitRegeneration(client, r -> r.getString("state").equals("done"), after);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(done.getLong("imagesDone")).as("images regenerated: the new upload needed none").isEqualTo(images.size());
      assertThat(done.getLong("imagesFailed")).isZero();
      assertThat(done.getLong("imagesRemaining")).isZero();
      System.out.printf("regeneration (%s, one node, concurrency 2): %d images in %.1f s from start to done: %.2f images/s;"
          + " the service reports %s images/s%n", kind, images.size(), seconds, images.size() / seconds,
          done.getValue("imagesPerSecond"));

      for (Map.Entry<String, JsonObject> e : images.entrySet()) {
        assertUpToDate(client, after, e.getKey(), e.getValue());
      }
      assertThat(metric(client, "imgedge_regeneration_images_done")).isEqualTo(images.size());
      nodes.stop(after);
    }
  }

  @Test
  @DisplayName("PostgreSQL + Redis + S3, two nodes: one regenerates, its SIGKILL hands the rest over, and both answer alike throughout")
  void twoNodesAgreeAndSurviveAKill() throws Exception {
    try (Backend backend = Backend.production()) {
      ServiceProcess a = nodes.start(storage, backend, withRegeneration(OLD, 1));
      ServiceClient clientA = new ServiceClient(a::uri);
      Map<String, JsonObject> images = uploadAll(clientA);
      // B's start changes the presets for both; A reads them within a check (1 s)
      ServiceProcess b = nodes.start(otherStorage, backend, withRegeneration(NEW, 1));
      ServiceClient clientB = new ServiceClient(b::uri);
      JsonObject running = awaitRegeneration(clientB, r -> r.getString("state").equals("running") && r.getLong("imagesDone") >= 2, b);
      // A reads B's presets at its next check; a regeneration quick to make two images can get there first
      String newSet = admin(clientB).getString("presetSet");
      awaitAdmin(clientA, r -> r.getString("presetSet").equals(newSet), a);

      // Both nodes answer alike while it runs: a variant one of them serves, the other serves with the same bytes.
      Random random = new Random(42);
      List<String> ids = new ArrayList<>(images.keySet());
      for (int i = 0; i < 20; i++) {
        String path = "/v1/images/" + ids.get(random.nextInt(ids.size())) + "/large.jpg";
        Answer first = clientA.get(path, null);
        Answer second = clientB.get(path, null);
        if (first.status() == 200) {
          assertThat(second.status()).as("B after A served %s", path).isEqualTo(200);
          assertThat(second.body()).isEqualTo(first.body());
        } else {
          assertThat(problemType(first)).isEqualTo("urn:imgedge:error:variant-pending");
          assertThat(second.status()).isIn(200, 404);
        }
      }

      // SIGKILL the node that holds the lease; it comes back (with the new list, as a rolling change would) and takes over
      String holder = running.getString("node");
      boolean aHolds = holder.startsWith(Files.readString(storage.resolve("node-id")).trim() + ":");
      Path holderStorage = aHolds ? storage : otherStorage;
      (aHolds ? a : b).kill();
      ServiceProcess back = nodes.start(holderStorage, backend, withRegeneration(NEW, 1));
      ServiceProcess other = aHolds ? b : a;
      ServiceClient backClient = new ServiceClient(back::uri);
      ServiceClient otherClient = new ServiceClient(other::uri);
      JsonObject done = awaitRegeneration(backClient, r -> r.getString("state").equals("done"), back);
      assertThat(done.getLong("imagesRemaining")).isZero();
      // images made but not yet counted when the kill came are not made again, nor counted: at most one (concurrency 1)
      assertThat(done.getLong("imagesDone")).isBetween((long) images.size() - 1, (long) images.size());
      System.out.printf("regeneration across a SIGKILL of its node (after %d of %d images): %d counted done in all%n",
          running.getLong("imagesDone"), images.size(), done.getLong("imagesDone"));
      for (Map.Entry<String, JsonObject> e : images.entrySet()) {
        assertUpToDate(backClient, back, e.getKey(), e.getValue());
        for (String preset : List.of("small", "large")) {
          String path = "/v1/images/" + e.getKey() + "/" + preset + ".jpg";
          assertThat(otherClient.get(path, null).body()).as("%s on both nodes", path).isEqualTo(backClient.get(path, null).body());
        }
        assertThat(problemType(otherClient.get("/v1/images/" + e.getKey() + "/medium.jpg", null)))
            .isEqualTo("urn:imgedge:error:not-found");
      }
      nodes.stop(back);
      nodes.stop(other);
    }
  }

  @Test
  @DisplayName("images recorded before variants kept their spec are taken to be at the current presets: recorded so, none made again")
  void imagesFromBeforeSpecsWereRecorded() throws Exception {
    try (Backend backend = Backend.embedded()) {
      ServiceProcess old = nodes.start(storage, backend, withRegeneration(JPEG_ONLY, 0));
      Map<String, JsonObject> images = uploadAll(new ServiceClient(old::uri));
      nodes.stop(old);
      // as a version without specs left its records: no spec in the variants, no fingerprint on the row
      try (Connection c = old.stored().connect(); Statement s = c.createStatement()) {
        int rows = s.executeUpdate("UPDATE images SET preset_set = '', variants = replace(replace(variants,"
            + " ',\"spec\":\"box=400,quality=78,chroma=4:4:4\"', ''), ',\"spec\":\"box=1000,quality=85\"', '')");
        assertThat(rows).isEqualTo(images.size());
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM images WHERE variants LIKE '%spec%'")) {
          assertThat(r.getLong(1)).as("records still with a spec").isZero();
        }
      }

      Map<Path, java.nio.file.attribute.FileTime> written = new LinkedHashMap<>();
      for (Path blob : old.stored().blobFiles()) {
        written.put(blob, Files.getLastModifiedTime(blob));
      }

      ServiceProcess upgraded = nodes.start(storage, backend, withRegeneration(JPEG_ONLY, 2));
      ServiceClient client = new ServiceClient(upgraded::uri);
      JsonObject done = awaitRegeneration(client, r -> r.getString("state").equals("done") && r.getLong("imagesDone") > 0, upgraded);
      assertThat(done.getLong("imagesDone")).isEqualTo(images.size());
      assertThat(done.getLong("imagesRemaining")).isZero();
      for (Map.Entry<String, JsonObject> e : images.entrySet()) {
        JsonObject variants = client.get("/v1/images/" + e.getKey(), TestApp.ALICE).json().getJsonObject("variants");
        assertThat(variants).as("variants of %s: the same bytes, so the same URLs", e.getKey())
            .isEqualTo(e.getValue().getJsonObject("variants"));
      }
      for (Map.Entry<Path, java.nio.file.attribute.FileTime> blob : written.entrySet()) {
        assertThat(Files.getLastModifiedTime(blob.getKey())).as("%s, not written again", blob.getKey()).isEqualTo(blob.getValue());
      }
      nodes.stop(upgraded);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "production"})
  @DisplayName("WebP added to JPEG-only presets: the regeneration backfills it across a SIGKILL, no image twice, JPEG bytes unchanged")
  void webpBackfill(String kind) throws Exception {
    try (Backend backend = kind.equals("production") ? Backend.production() : Backend.embedded()) {
      ServiceProcess before = nodes.start(storage, backend, withRegeneration(JPEG_ONLY, 0));
      Map<String, JsonObject> images = new LinkedHashMap<>();
      ServiceClient client = new ServiceClient(before::uri);
      List<Path> photos = new ArrayList<>(Corpus.files("photos"));
      photos.addAll(Corpus.files("orientation"));
      for (Path photo : photos) {
        Answer up = client.uploadMultipart(TestApp.ALICE, Files.readAllBytes(photo), photo.getFileName().toString());
        assertThat(up.status()).as("upload of %s", photo).isEqualTo(201);
        assertThat(up.json().getJsonObject("variants").getJsonObject("small").getJsonObject("formats").fieldNames())
            .containsExactly("jpeg");
        images.put(up.json().getString("id"), up.json());
      }
      nodes.stop(before);

      // the defaults ask for WebP: one node starts the backfill and is killed part-way, the next finishes it
      ServiceProcess first = nodes.start(storage, backend, withRegeneration(OLD, 1));
      JsonObject running = awaitRegeneration(new ServiceClient(first::uri), r -> r.getLong("imagesDone") >= 2, first);
      first.kill();
      ServiceProcess second = nodes.start(storage, backend, withRegeneration(OLD, 1));
      client = new ServiceClient(second::uri);
      JsonObject done = awaitRegeneration(client, r -> r.getString("state").equals("done"), second);
      System.out.printf("WebP backfill (%s) across a SIGKILL after %d of %d images (%s): %d counted done in all%n", kind,
          running.getLong("imagesDone"), images.size(), running.getString("state"), done.getLong("imagesDone"));
      assertThat(done.getLong("imagesRemaining")).isZero();
      assertThat(done.getLong("imagesFailed")).isZero();
      // an image made but not yet counted when the kill came is current, so neither made nor counted again
      assertThat(done.getLong("imagesDone")).as("no image done twice").isBetween((long) images.size() - 1, (long) images.size());
      for (Map.Entry<String, JsonObject> e : images.entrySet()) {
        JsonObject variants = client.get("/v1/images/" + e.getKey(), TestApp.ALICE).json().getJsonObject("variants");
        for (String preset : List.of("small", "medium")) {
          JsonObject v = variants.getJsonObject(preset);
          JsonObject uploaded = e.getValue().getJsonObject("variants").getJsonObject(preset);
          assertThat(v.getString("url")).as("%s of %s: the same JPEG bytes, so the same URL", preset, e.getKey())
              .isEqualTo(uploaded.getString("url"));
          JsonObject webp = v.getJsonObject("formats").getJsonObject("webp");
          assertThat(webp).as("%s of %s has its WebP", preset, e.getKey()).isNotNull();
          Answer served = client.get(webp.getString("url"), null);
          assertThat(served.status()).isEqualTo(200);
          assertThat(served.body()).hasSize(webp.getInteger("bytes"));
        }
        assertThat(second.stored().blobFiles(e.getKey())).as("original and 2 x (JPEG, WebP)").hasSize(5);
      }
      nodes.stop(second);
    }
  }

  @Test
  @DisplayName("PostgreSQL, two nodes, B without WebP and AVIF encoders: B's start keeps them in the shared presets, says so in"
      + " one line, uploads JPEG only and leaves the regeneration to A, which makes B's WebP and AVIF; no file is deleted")
  void formatsANodeCannotEncode() throws Exception {
    try (Backend backend = Backend.production()) {
      JsonObject withAvif = new JsonObject().put("presets", new JsonObject()
          .put("small", new JsonObject().put("box", 400).put("formats", new JsonArray().add("jpeg").add("webp").add("avif")))
          .put("medium", new JsonObject().put("box", 1000)));
      ServiceProcess a = nodes.start(storage, backend, withRegeneration(withAvif, 1));
      ServiceClient clientA = new ServiceClient(a::uri);
      Answer first = clientA.uploadMultipart(TestApp.ALICE, Corpus.bytes(Corpus.file("orientation", "landscape_3.jpg")), "a.jpg");
      assertThat(first.status()).isEqualTo(201);
      String firstId = first.json().getString("id");
      awaitFormats(clientA, firstId, "jpeg", "webp", "avif");
      assertThat(a.stored().blobFiles(firstId)).as("original, small in 3 formats, medium in 2").hasSize(6);

      // the bindings load the libraries the properties name: ones that do not exist are real load failures
      ServiceProcess b = nodes.start(otherStorage, backend, withRegeneration(withAvif, 1),
          Map.of("JAVA_TOOL_OPTIONS", "-Dimgedge.libheif=libheif-not-installed.so.1 -Dimgedge.libwebp=libwebp-not-installed.so.7"));
      ServiceClient clientB = new ServiceClient(b::uri);
      JsonObject report = admin(clientB);
      JsonObject small = report.getJsonArray("presets").stream().map(JsonObject.class::cast)
          .filter(p -> p.getString("name").equals("small")).findFirst().orElseThrow();
      assertThat(small.getJsonArray("formats").getList()).as("the shared presets, as B reads them").containsExactly("jpeg", "webp", "avif");
      assertThat(report.getBoolean("regeneratesHere")).isFalse();
      assertThat(admin(clientA).getBoolean("regeneratesHere")).isTrue();
      assertThat(b.log().lines().filter(l -> l.contains("webp and avif variants: not made on this node")
          && l.contains("this node does not run the regeneration")).count()).as("%s", b.log()).isEqualTo(1);
      assertThat(metric(clientB, "imgedge_regeneration_eligible")).isZero();

      Answer second = clientB.uploadMultipart(TestApp.ALICE, Corpus.bytes(Corpus.file("orientation", "landscape_6.jpg")), "b.jpg");
      assertThat(second.status()).as("%s", second).isEqualTo(201);
      assertThat(second.json().getJsonObject("variants").getJsonObject("small").getJsonObject("formats").fieldNames())
          .containsExactly("jpeg");
      String secondId = second.json().getString("id");
      // A's next check (1 s) makes what B could not
      awaitFormats(clientB, secondId, "jpeg", "webp", "avif");
      assertThat(a.stored().blobFiles(secondId)).hasSize(6);
      assertThat(a.stored().blobFiles(firstId)).as("no file of the first image deleted").hasSize(6);
      assertThat(clientB.get("/v1/images/" + firstId + "/small.avif", null).status()).isEqualTo(200);
      assertThat(metric(clientB, "imgedge_regeneration_images_done")).as("B regenerated nothing").isZero();
      assertThat(metric(clientB, "imgedge_regeneration_images_failed")).isZero();
      assertThat(metric(clientA, "imgedge_regeneration_images_done")).isEqualTo(2);
      nodes.stop(b);
      nodes.stop(a);
    }
  }

  /** Polls the image (every 100 ms, for up to 2 minutes) until its small variant has exactly these formats. */
  private static void awaitFormats(ServiceClient client, String id, String... formats) throws InterruptedException {
    Poll.until(() -> client.get("/v1/images/" + id, TestApp.ALICE).json(),
        image -> image.getJsonObject("variants").getJsonObject("small").getJsonObject("formats").fieldNames().equals(Set.of(formats)),
        Duration.ofMillis(100), Duration.ofMinutes(2),
        last -> "the small variant of " + id + " did not get " + List.of(formats) + "; last " + last);
  }

  private static JsonObject withRegeneration(JsonObject presets, int concurrency) {
    return presets.copy().put("regeneration", new JsonObject().put("concurrency", concurrency).put("checkSeconds", 1));
  }

  /** @return each upload's JSON, by id */
  private static Map<String, JsonObject> uploadAll(ServiceClient client) throws IOException {
    Map<String, JsonObject> images = new LinkedHashMap<>();
    for (Path photo : photos()) {
      Answer up = client.uploadMultipart(TestApp.ALICE, Files.readAllBytes(photo), photo.getFileName().toString());
      assertThat(up.status()).as("upload of %s: %s", photo.getFileName(), up).isEqualTo(201);
      assertThat(up.json().getJsonObject("variants").fieldNames()).containsExactlyInAnyOrder("small", "medium");
      images.put(up.json().getString("id"), up.json());
    }
    return images;
  }

  /** The image as the new presets make it: small again at 300, large at 1600, medium gone with its blob. */
  private static void assertUpToDate(ServiceClient client, ServiceProcess node, String id, JsonObject uploaded) throws IOException {
    JsonObject image = client.get("/v1/images/" + id, TestApp.ALICE).json();
    JsonObject variants = image.getJsonObject("variants");
    assertThat(variants.fieldNames()).as("variants of %s", id).containsExactlyInAnyOrder("small", "large");
    int width = image.getJsonObject("original").getInteger("width");
    int height = image.getJsonObject("original").getInteger("height");
    String oldSmall = uploaded.getJsonObject("variants").getJsonObject("small").getString("url");
    if (Math.max(width, height) > 300) { // else small is the original's size at either box, and the same bytes
      assertThat(variants.getJsonObject("small").getString("url")).as("small's immutable URL changed with its bytes")
          .isNotEqualTo(oldSmall);
    }
    for (Map.Entry<String, Integer> preset : Map.of("small", 300, "large", 1600).entrySet()) {
      Answer served = client.get("/v1/images/" + id + "/" + preset.getKey() + ".jpg", null);
      assertThat(served.status()).as("%s of %s: %s", preset.getKey(), id, served).isEqualTo(200);
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(served.body()));
      int box = preset.getValue();
      // fits the box, and fills it along the longer side unless the original is smaller
      assertThat(Math.max(decoded.getWidth(), decoded.getHeight())).isEqualTo(Math.min(box, Math.max(width, height)));
      JsonObject recorded = variants.getJsonObject(preset.getKey());
      assertThat(decoded.getWidth()).isEqualTo(recorded.getInteger("width"));
      assertThat(decoded.getHeight()).isEqualTo(recorded.getInteger("height"));
    }
    assertThat(problemType(client.get("/v1/images/" + id + "/medium.jpg", null))).isEqualTo("urn:imgedge:error:not-found");
    assertThat(node.stored().blobFiles(id)).as("blobs of %s: the original, small and large in JPEG and WebP", id).hasSize(5);
  }

  private static JsonObject admin(ServiceClient client) {
    Answer r = client.get("/v1/admin/presets", TestApp.ADMIN);
    assertThat(r.status()).as("GET /v1/admin/presets: %s", r).isEqualTo(200);
    return r.json();
  }

  /** Polls the admin endpoint (every 100 ms, for up to 3 minutes) until the regeneration is as asked. */
  private static JsonObject awaitRegeneration(ServiceClient client, Predicate<JsonObject> until, ServiceProcess node)
      throws InterruptedException {
    return awaitAdmin(client, r -> until.test(r.getJsonObject("regeneration")), node).getJsonObject("regeneration");
  }

  /** Polls the admin endpoint (every 100 ms, for up to 3 minutes) until its report is as asked. */
  private static JsonObject awaitAdmin(ServiceClient client, Predicate<JsonObject> until, ServiceProcess node)
      throws InterruptedException {
    return Poll.until(() -> admin(client), until, Duration.ofMillis(100), Duration.ofMinutes(3),
        last -> "the node's report did not get there; last " + last + "\n" + node.logTail());
  }

  private static String problemType(Answer answer) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(404);
    return answer.json().getString("type");
  }

  private static long metric(ServiceClient client, String name) {
    for (String line : new String(client.get("/metrics", null).body()).split("\n")) {
      // the figures of the shared catalog carry scope="cluster"
      if (line.startsWith(name + " ") || line.startsWith(name + "_total ") || line.startsWith(name + "{scope=\"cluster\"} ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError(name + " is not in /metrics");
  }
}
