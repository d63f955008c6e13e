package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.imgedge.testing.Backend;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded random mix of every write (uploads raw and multipart; resumable uploads created, PATCHed and
 * terminated; repeated uploads, deletes, claims, completes, fails) with SIGKILLs and SIGTERMs at random
 * points, some of them while an upload is under way. After every restart the service must hold exactly what it acknowledged
 * ({@link AcknowledgedState}). {@code -Dimgedge.durability.seed=N} replays a run;
 * {@code -Dimgedge.durability.operations=N} makes it longer than CI's 500.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RandomizedDurabilityTest {

  private static final int MAX_ATTEMPTS = 2;
  private static final JsonObject CONFIG = new JsonObject()
      .put("jobs", new JsonObject().put("maxAttempts", MAX_ATTEMPTS).put("backoffSeconds", 0));
  /** Open resumable uploads at most, well under an owner's {@code uploads.maxPartial}. */
  private static final int MAX_OPEN_UPLOADS = 8;
  private static final List<String> OWNERS = List.of(TestApp.ALICE, TestApp.BOB);

  @TempDir
  Path storage;

  private ServiceProcess service;
  private final ServiceClient client = new ServiceClient(path -> service.uri(path));
  private final AcknowledgedState model = new AcknowledgedState();
  private int kills;
  private int terms;
  private int killsMidUpload;
  private int nextImage;
  private int resumableSteps;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"embedded", "production"})
  @DisplayName("a random mix of writes and kills keeps exactly what was acknowledged")
  void randomRun(String backendName) throws Exception {
    long seed = Long.getLong("imgedge.durability.seed", System.nanoTime());
    int operations = Integer.getInteger("imgedge.durability.operations", 400);
    Random random = new Random(seed);
    try (Backend backend = backendName.equals("production") ? Backend.production() : Backend.embedded()) {
      service = ServiceProcess.start(storage, backend, CONFIG);
      try {
        for (int op = 0; op < operations; op++) {
          step(random, backend);
        }
        restart(backend, false);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("randomized durability run failed; replay with -Dimgedge.durability.seed=" + seed
            + " -Dimgedge.durability.operations=" + operations + "\n" + e.getMessage() + "\n" + service.logTail(), e);
      } finally {
        service.kill();
      }
    }
    System.out.printf("randomized durability, %s backend: seed %d, %d operations (%d of them resumable-upload writes), %d SIGKILL"
            + " (%d during an upload), %d SIGTERM, %d images at the end%n", backendName, seed, operations, resumableSteps, kills,
        killsMidUpload, terms, model.size());
    assertThat(kills + terms).as("the run killed the service at least once").isPositive();
  }

  private void step(Random random, Backend backend) throws Exception {
    String owner = OWNERS.get(random.nextInt(OWNERS.size()));
    if (random.nextInt(40) == 0) {
      // about one step in 40: SIGKILL during an upload, or SIGKILL or SIGTERM between two steps
      switch (random.nextInt(3)) {
        case 0 -> killDuringUpload(random, backend, owner);
        case 1 -> restart(backend, false);
        default -> restart(backend, true);
      }
      return;
    }
    List<String> live = model.liveImages();
    List<String> held = model.heldJobs();
    int roll = random.nextInt(100);
    if (roll < 20) {
      byte[] image = newImage();
      model.uploaded(owner, Corpus.sha256(image), client.uploadRaw(owner, image, "image/png"));
    } else if (roll < 28) {
      resumableStep(random, owner);
    } else if (roll < 40) {
      byte[] image = newImage();
      model.uploaded(owner, Corpus.sha256(image), client.uploadMultipart(owner, image, "photo.png"));
    } else if (roll < 45 && !live.isEmpty()) {
      // the same bytes again by their owner: a retry, answered 200 with the same image
      String id = live.get(random.nextInt(live.size()));
      byte[] image = imageOf(id);
      model.uploaded(model.ownerOf(id), Corpus.sha256(image), client.uploadRaw(model.ownerOf(id), image, "image/png"));
    } else if (roll < 55 && !live.isEmpty()) {
      String id = live.get(random.nextInt(live.size()));
      model.deleted(id, client.delete(id, model.ownerOf(id)));
    } else if (roll < 75 || held.isEmpty()) {
      model.claimed(client.claim(300));
    } else if (roll < 88) {
      String job = held.get(random.nextInt(held.size()));
      JsonObject result = new JsonObject().put("labels", List.of("tag" + random.nextInt(1000)));
      model.completed(job, result, client.complete(job, result));
    } else {
      String job = held.get(random.nextInt(held.size()));
      model.failed(job, MAX_ATTEMPTS, client.fail(job, "worker error " + random.nextInt(1000)));
    }
  }

  /** Creates a resumable upload, or moves an open one along: a part of it, the rest of it, or its termination. */
  private void resumableStep(Random random, String owner) {
    resumableSteps++;
    List<String> open = model.openUploads();
    if (open.isEmpty() || open.size() < MAX_OPEN_UPLOADS && random.nextInt(3) == 0) {
      byte[] image = newImage();
      model.uploadCreated(owner, image, client.createUpload(owner, image.length));
      return;
    }
    String path = open.get(random.nextInt(open.size()));
    if (random.nextInt(6) == 0) {
      model.uploadTerminated(path, client.deleteUpload(path, model.uploadOwner(path)));
    } else {
      model.patch(client, path, 1 + random.nextInt(model.uploadLength(path)));
    }
  }

  /** Sends an upload and kills the service a random few milliseconds later: the upload may or may not have been recorded. */
  private void killDuringUpload(Random random, Backend backend, String owner) throws Exception {
    byte[] image = newImage();
    String sha = Corpus.sha256(image);
    CompletableFuture<Answer> upload = CompletableFuture.supplyAsync(() -> client.uploadRaw(owner, image, "image/png"));
    // the delay only places the kill at a random moment of the upload; nothing waits on it to be long enough
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(120)));
    service.kill();
    kills++;
    killsMidUpload++;
    try {
      model.uploaded(owner, sha, upload.get(60, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).as("an upload cut by the kill fails with an I/O error").isInstanceOf(UncheckedIOException.class);
      model.unanswered(owner, sha);
    }
    service = ServiceProcess.start(storage, backend, CONFIG);
    model.verify(client);
  }

  private void restart(Backend backend, boolean graceful) throws Exception {
    if (graceful) {
      service.terminate();
      assertThat(service.awaitExit(Duration.ofSeconds(60))).isIn(0, 143);
      terms++;
    } else {
      service.kill();
      kills++;
    }
    service = ServiceProcess.start(storage, backend, CONFIG);
    model.verify(client);
  }

  private byte[] newImage() {
    return GeneratedImages.png(nextImage++).getBytes();
  }

  /** The bytes of an image this run made: fetched back as the worker sees them. */
  private byte[] imageOf(String id) {
    return client.get("/v1/images/" + id + "/original", TestApp.WORKER).body();
  }
}
