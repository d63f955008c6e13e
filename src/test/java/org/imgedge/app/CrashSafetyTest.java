package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.Storage;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the service with SIGKILL while 8 clients upload, restarts it on the same data, and holds it to
 * its promise: a 201 means the upload is durable. Every acknowledged upload is listed, its original is
 * byte-identical and its variants are served; staging is empty and no blob is left that belongs to no
 * image: the blob intents of the killed run are swept at start, with no grace period. On the embedded
 * defaults and on PostgreSQL + S3; {@code -Dimgedge.crashRounds=N} runs other than CI's 10 rounds each.
 */
class CrashSafetyTest {

  private static final int UPLOADERS = 8;
  private static final List<Path> PHOTOS = Corpus.files("photos");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path storage;

  /** Acknowledged uploads of every round so far: image id -> SHA-256 of the bytes sent. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final AtomicLong variety = new AtomicLong();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "production"})
  @DisplayName("SIGKILL under 8 uploaders, round after round: every 201 survives, and the restart leaves no orphan blob")
  void acknowledgedUploadsSurviveSigkill(String kind) throws Exception {
    int rounds = Integer.getInteger("imgedge.crashRounds", 8);
    int orphansLeft = 0;
    try (Backend backend = kind.equals("production") ? Backend.production() : Backend.embedded()) {
      ServiceProcess service = ServiceProcess.start(storage, backend, new JsonObject());
      for (int round = 1; round <= rounds; round++) {
        int target = 4 + round % 5; // a different moment of the upload stream each round
        RoundResult result = uploadUntilKilled(service, target);
        Storage stored = service.stored();
        Set<String> orphans = stored.orphans();
        orphansLeft += orphans.size();

        long restart = System.nanoTime();
        service = ServiceProcess.start(storage, backend, new JsonObject());
        long readyMillis = (System.nanoTime() - restart) / 1_000_000;
        Storage after = service.stored();
        long sweptMillis = awaitNoOrphans(after, service);

        verifyAcknowledged(service);
        assertThat(after.stagingFiles()).as("staging after the restart").isEmpty();
        assertThat(after.blobFiles()).as("blobs: 5 per recorded image").hasSize(Storage.BLOBS_PER_IMAGE * (int) after.rows());
        System.out.printf("crash round %d (%s): %d acknowledged (%d in all), %d in flight at SIGKILL, %d orphan(s) left by the"
                + " kill, all swept %d ms after ready; restart to ready %d ms%n",
            round, kind, result.acknowledged(), acknowledged.size(), result.inFlightAtKill(), orphans.size(), sweptMillis,
            readyMillis);
        if (round == rounds) {
          service.kill();
        }
      }
    }
    System.out.printf("crash rounds (%s): %d rounds, %d orphan image(s) left by the kills, 0 after each restart%n", kind, rounds,
        orphansLeft);
  }

  @Test
  @DisplayName("PostgreSQL + S3: uploads killed after their blobs are stored, while their row waits for a lock, leave nothing after the restart")
  void killedBetweenBlobsAndRow() throws Exception {
    try (Backend backend = Backend.production()) {
      ServiceProcess killed = ServiceProcess.start(storage, backend, new JsonObject());
      Storage stored = killed.stored();
      ExecutorService clients = Executors.newFixedThreadPool(3);
      // the watch is a connection of its own: inside the lock's transaction, pg_stat_activity is a snapshot
      try (Connection lock = stored.connect(); Connection watch = stored.connect()) {
        lock.setAutoCommit(false);
        String others = "datname = current_database() AND pid <> pg_backend_pid() AND pid <> " + pid(lock);
        // SHARE lets the uploads' duplicate check and their intents through, and makes their row's INSERT wait
        lock.createStatement().execute("LOCK TABLE images IN SHARE MODE");
        for (int i = 0; i < 3; i++) {
          byte[] photo = distinctPhoto();
          clients.submit(() -> HTTP.send(HttpRequest.newBuilder(killed.uri("/v1/images"))
              .header("Authorization", "Bearer " + TestApp.ALICE).header("Content-Type", "image/jpeg")
              .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        // all three past their blobs: their row's insert waits for the lock
        awaitSessions(watch, others + " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO images%'", 3, killed);
        killed.kill();
        // PostgreSQL learns of a dead client only when it next writes to it: end every session of the killed
        // node (the only other client of this database), and wait until they are gone (termination is
        // asynchronous), or an insert it had sent would go on once the lock is released
        watch.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE " + others);
        awaitSessions(watch, others, 0, killed);
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(stored.orphans()).as("blobs without a row after the kill").hasSize(3);
      assertThat(stored.intents()).as("their intents").isEqualTo(3);

      ServiceProcess service = ServiceProcess.start(storage, backend, new JsonObject());
      long sweptMillis = awaitNoOrphans(service.stored(), service);
      assertThat(service.stored().intents()).as("intents after the sweep").isZero();
      System.out.printf("killed between blobs and row: 3 orphans with intents, swept %d ms after ready%n", sweptMillis);
      service.kill();
    }
  }

  private static long pid(Connection connection) throws SQLException {
    try (ResultSet r = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Polls PostgreSQL's view of its sessions until exactly {@code n} match {@code where}. */
  private static void awaitSessions(Connection watch, String where, int n, ServiceProcess service) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (ResultSet r = watch.createStatement().executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE " + where)) {
        r.next();
        if (r.getInt(1) == n) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("%d sessions where %s\n%s", n, where, service.logTail()).isLessThan(deadline);
      Thread.sleep(20); // a pause between looks at pg_stat_activity
    }
  }

  private record RoundResult(int acknowledged, int inFlightAtKill) {}

  /** 8 clients upload distinct photos; once {@code target} are acknowledged the service is killed mid-stream. */
  private RoundResult uploadUntilKilled(ServiceProcess service, int target) throws Exception {
    CountDownLatch enough = new CountDownLatch(target);
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(UPLOADERS);
    for (int c = 0; c < UPLOADERS; c++) {
      clients.submit(() -> {
        while (!killed.get()) {
          byte[] photo = distinctPhoto();
          inFlight.incrementAndGet();
          try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(service.uri("/v1/images"))
                    .header("Authorization", "Bearer " + TestApp.ALICE)
                    .header("Content-Type", "image/jpeg")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201 || r.statusCode() == 200) {
              acknowledged.put(new JsonObject(r.body()).getString("id"), Corpus.sha256(photo));
              acked.incrementAndGet();
              enough.countDown();
            } else if (!killed.get()) {
              throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
            }
          } catch (IOException e) {
            if (!killed.get()) {
              throw new AssertionError("upload failed before the kill", e);
            }
          } finally {
            inFlight.decrementAndGet();
          }
        }
        return null;
      });
    }
    assertThat(enough.await(120, TimeUnit.SECONDS)).as("%d uploads acknowledged in time", target).isTrue();
    killed.set(true);
    int inFlightAtKill = inFlight.get();
    service.kill();
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).as("uploaders stopped after the kill").isTrue();
    return new RoundResult(acked.get(), inFlightAtKill);
  }

  /** A corpus photo with bytes after its end marker, so every upload is new bytes that still decode. */
  private byte[] distinctPhoto() throws IOException {
    long n = variety.incrementAndGet();
    byte[] photo = Files.readAllBytes(PHOTOS.get((int) (n % PHOTOS.size())));
    byte[] tail = ("crash-test " + n + " " + System.nanoTime()).getBytes();
    byte[] out = new byte[photo.length + tail.length];
    System.arraycopy(photo, 0, out, 0, photo.length);
    System.arraycopy(tail, 0, out, photo.length, tail.length);
    return out;
  }

  /** The sweep runs once the service listens: wait for it (polling), and tell how long it took. */
  private static long awaitNoOrphans(Storage stored, ServiceProcess service) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    while (!stored.orphans().isEmpty()) {
      assertThat(System.nanoTime()).as("orphans %s still there\n%s", stored.orphans(), service.logTail()).isLessThan(deadline);
      service.process().waitFor(20, TimeUnit.MILLISECONDS);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void verifyAcknowledged(ServiceProcess service) {
    ServiceClient client = new ServiceClient(service::uri);
    assertThat(client.listAll(TestApp.ALICE)).as("every acknowledged upload is listed").containsAll(acknowledged.keySet());
    for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
      String id = ack.getKey();
      Answer original = client.get("/v1/images/" + id + "/original", TestApp.WORKER);
      assertThat(original.status()).as("original of %s", id).isEqualTo(200);
      assertThat(Corpus.sha256(original.body())).as("original of %s is byte-identical", id).isEqualTo(ack.getValue());
      for (String preset : List.of("small", "medium")) {
        assertThat(client.get("/v1/images/" + id + "/" + preset + ".jpg", null).status()).as("%s of %s", preset, id).isEqualTo(200);
      }
    }
  }
}
