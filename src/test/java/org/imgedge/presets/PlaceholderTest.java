package org.imgedge.presets;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.imgedge.support.Hashing;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.Poll;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.StartedNodes;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ThumbHash placeholders: every upload's Image JSON and list item carries one; images recorded before
 * placeholders existed (their column null, their preset-set fingerprint the one without the placeholder
 * entry, as the earlier version wrote them) get theirs from the regeneration, which a restart cuts and
 * the next start resumes, each image done once.
 */
class PlaceholderTest {

  /** The fingerprint the version before placeholders recorded for the default presets. */
  private static final String BEFORE_PLACEHOLDERS = Hashing.fingerprint(Map.of("small", "box=400,quality=85",
      "medium", "box=1000,quality=85"));

  @RegisterExtension
  final StartedNodes nodes = new StartedNodes();

  /**
   * Camera JPEGs and HEICs; on SQLite also one picture of each other format, alpha and CMYK among them
   * (the formats are the imaging's business, the same on either database: PostgreSQL's run is kept short).
   */
  private static List<Path> pictures(boolean everyFormat) {
    List<Path> all = new ArrayList<>(Corpus.files("photos"));
    all.addAll(Corpus.files("heic"));
    if (everyFormat) {
      all.addAll(Corpus.files("formats"));
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "production"})
  @DisplayName("uploads carry a placeholder in the Image and the list; images without one get it from a resumable regeneration")
  void placeholders(String kind, @org.junit.jupiter.api.io.TempDir Path storage) throws Exception {
    try (Backend backend = kind.equals("production") ? Backend.production() : Backend.embedded()) {
      ServiceProcess first = start(storage, backend, 0);
      ServiceClient client = new ServiceClient(first::uri);
      Map<String, String> uploaded = new LinkedHashMap<>();
      for (Path picture : pictures(!backend.isProduction())) {
        Answer up = client.uploadMultipart(TestApp.ALICE, Files.readAllBytes(picture), picture.getFileName().toString());
        assertThat(up.status()).as("upload of %s: %s", picture.getFileName(), up).isIn(200, 201);
        if (up.status() == 200) {
          continue; // the same bytes as a picture before (a HEIC is in two folders of the corpus)
        }
        String hash = thumbHash(up.json());
        assertThat(hash).as("placeholder of %s", picture.getFileName()).isNotNull();
        // standard base64 of 5 (no alpha: our variants are opaque) + at most 20 bytes of coefficients
        byte[] bytes = Base64.getDecoder().decode(hash);
        assertThat(bytes.length).isBetween(5, 25);
        assertThat(bytes[2] & 0x80).as("no alpha flag: transparent pixels are composited over white").isZero();
        String id = up.json().getString("id");
        assertThat(thumbHash(client.get("/v1/images/" + id, TestApp.ALICE).json())).isEqualTo(hash);
        uploaded.put(id, hash);
      }
      assertThat(listed(client)).as("every list item carries its image's placeholder").isEqualTo(uploaded);
      nodes.stop(first);

      // as the version before placeholders left its records: no placeholder, and its fingerprint of the presets
      try (Connection c = first.stored().connect(); Statement s = c.createStatement()) {
        assertThat(s.executeUpdate("UPDATE images SET thumbhash = NULL, preset_set = '" + BEFORE_PLACEHOLDERS + "'"))
            .isEqualTo(uploaded.size());
      }
      ServiceProcess waiting = start(storage, backend, 0);
      client = new ServiceClient(waiting::uri);
      Map<String, String> none = listed(client);
      assertThat(none.keySet()).containsExactlyElementsOf(uploaded.keySet());
      assertThat(none.values()).as("placeholder null until made").containsOnlyNulls();
      assertThat(client.get("/v1/images/" + uploaded.keySet().iterator().next(), TestApp.ALICE).json().containsKey("placeholder"))
          .isTrue();
      assertThat(admin(client).getLong("imagesRemaining")).isEqualTo(uploaded.size());
      nodes.stop(waiting);

      // one image at a time, stopped once it has made some: the rest stay null
      ServiceProcess cut = start(storage, backend, 1);
      awaitRegeneration(new ServiceClient(cut::uri), r -> r.getLong("imagesDone") >= 1, cut);
      nodes.stop(cut);
      long leftByCut = withoutPlaceholder(cut);
      assertThat(leftByCut).as("images still without a placeholder after the cut").isBetween(1L, uploaded.size() - 1L);

      ServiceProcess resumed = start(storage, backend, 2);
      client = new ServiceClient(resumed::uri);
      listed(client); // a page held in the list cache now must not outlive the backfill
      JsonObject done = awaitRegeneration(client, r -> r.getString("state").equals("done"), resumed);
      assertThat(done.getLong("imagesDone")).as("counted once each, across the restart").isEqualTo(uploaded.size());
      assertThat(done.getLong("imagesFailed")).isZero();
      assertThat(metric(client, "imgedge_regeneration_images_done")).as("made by the resumed run: only those the cut left")
          .isEqualTo(leftByCut);
      assertThat(withoutPlaceholder(resumed)).isZero();

      Map<String, String> backfilled = listed(client);
      assertThat(backfilled.keySet()).containsExactlyElementsOf(uploaded.keySet());
      int same = 0;
      for (Map.Entry<String, String> e : backfilled.entrySet()) {
        assertThat(e.getValue()).as("placeholder of %s after the backfill", e.getKey()).isNotNull();
        assertThat(thumbHash(client.get("/v1/images/" + e.getKey(), TestApp.ALICE).json())).isEqualTo(e.getValue());
        byte[] now = Base64.getDecoder().decode(e.getValue());
        byte[] before = Base64.getDecoder().decode(uploaded.get(e.getKey()));
        // the backfill renders the small preset alone (the decoder may scale differently): the same picture, maybe not the same bytes
        assertThat(now).as("aspect and size of %s's placeholder", e.getKey()).hasSameSizeAs(before);
        assertThat(now[3] & 7).isEqualTo(before[3] & 7);
        same += java.util.Arrays.equals(now, before) ? 1 : 0;
      }
      System.out.printf("placeholder backfill (%s): %d images, %d left by the cut, %d of %d equal to the upload's bytes%n",
          kind, uploaded.size(), leftByCut, same, uploaded.size());
      nodes.stop(resumed);
    }
  }

  private ServiceProcess start(Path storage, Backend backend, int concurrency) {
    return nodes.start(storage, backend,
        new JsonObject().put("regeneration", new JsonObject().put("concurrency", concurrency).put("checkSeconds", 1)));
  }

  private static String thumbHash(JsonObject image) {
    JsonObject placeholder = image.getJsonObject("placeholder");
    return placeholder == null ? null : placeholder.getString("thumbhash");
  }

  /** The owner's images by id, newest first, with their placeholders, through every page. */
  private static Map<String, String> listed(ServiceClient client) {
    Map<String, String> out = new LinkedHashMap<>();
    String cursor = null;
    do {
      Answer page = client.get("/v1/images?limit=5" + (cursor == null ? "" : "&cursor=" + cursor), TestApp.ALICE);
      assertThat(page.status()).as("%s", page).isEqualTo(200);
      JsonArray items = page.json().getJsonArray("items");
      for (Object o : items) {
        JsonObject item = (JsonObject) o;
        assertThat(item.containsKey("placeholder")).isTrue();
        out.put(item.getString("id"), thumbHash(item));
      }
      cursor = page.json().getString("nextCursor");
    } while (cursor != null);
    // the upload order, oldest first, as the map of uploads has it
    List<Map.Entry<String, String>> entries = new ArrayList<>(out.entrySet());
    java.util.Collections.reverse(entries);
    Map<String, String> oldestFirst = new LinkedHashMap<>();
    entries.forEach(e -> oldestFirst.put(e.getKey(), e.getValue()));
    return oldestFirst;
  }

  private static long withoutPlaceholder(ServiceProcess node) throws Exception {
    try (Connection c = node.stored().connect();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM images WHERE thumbhash IS NULL");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static JsonObject admin(ServiceClient client) {
    Answer r = client.get("/v1/admin/presets", TestApp.ADMIN);
    assertThat(r.status()).as("GET /v1/admin/presets: %s", r).isEqualTo(200);
    return r.json().getJsonObject("regeneration");
  }

  /** Polls the admin endpoint (every 50 ms, for up to 2 minutes) until the regeneration is as asked. */
  private static JsonObject awaitRegeneration(ServiceClient client, Predicate<JsonObject> until, ServiceProcess node)
      throws InterruptedException {
    return Poll.until(() -> admin(client), until, Duration.ofMillis(50), Duration.ofMinutes(2),
        last -> "the regeneration did not get there; last report " + last + "\n" + node.logTail());
  }

  private static long metric(ServiceClient client, String name) {
    for (String line : new String(client.get("/metrics", null).body()).split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "_total ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError(name + " is not in /metrics");
  }
}
