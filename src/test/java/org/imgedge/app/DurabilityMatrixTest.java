package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.imgedge.testing.Backend;
import org.imgedge.testing.GeneratedImages;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.TestApp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every write the API offers, acknowledged and then followed at once by SIGKILL (or SIGTERM), a
 * restart on the same data, and a check of everything acknowledged so far. The writes run in the
 * order that once lost data: a job completed, then further writes, then a restart.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DurabilityMatrixTest {

  private static final int MAX_ATTEMPTS = 3;
  /** Backoff 0: a failed image is claimable again at once, so the model knows what a claim must find. */
  private static final JsonObject CONFIG = new JsonObject()
      .put("jobs", new JsonObject().put("maxAttempts", MAX_ATTEMPTS).put("backoffSeconds", 0));

  @TempDir
  Path storage;

  private ServiceProcess service;
  private final ServiceClient client = new ServiceClient(path -> service.uri(path));
  private final AcknowledgedState model = new AcknowledgedState();
  private final List<String> rows = new ArrayList<>();

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"embedded, SIGKILL", "embedded, SIGTERM", "production, SIGKILL", "production, SIGTERM"})
  @DisplayName("each acknowledged write survives the signal and a restart, along with everything before it")
  void everyWriteSurvives(String backendName, String signal) throws Exception {
    try (Backend backend = backendName.equals("production") ? Backend.production() : Backend.embedded()) {
      service = ServiceProcess.start(storage, backend, CONFIG);
      try {
        byte[] x = GeneratedImages.png(1).getBytes();
        byte[] y = GeneratedImages.png(2).getBytes();
        byte[] z = GeneratedImages.png(3).getBytes();

        model.uploaded(TestApp.ALICE, Corpus.sha256(x), client.uploadMultipart(TestApp.ALICE, x, "x.png"));
        survive("multipart upload", backend, signal);

        model.uploaded(TestApp.BOB, Corpus.sha256(y), client.uploadRaw(TestApp.BOB, y, "image/png"));
        survive("raw upload", backend, signal);

        model.claimed(client.claim(300));
        survive("claim", backend, signal);

        String xJob = model.heldJobs().get(0);
        JsonObject result = new JsonObject().put("labels", List.of("cat")).put("score", 0.93);
        model.completed(xJob, result, client.complete(xJob, result));
        survive("complete", backend, signal);

        model.uploaded(TestApp.ALICE, Corpus.sha256(z), client.uploadRaw(TestApp.ALICE, z, "image/png"));
        survive("upload after a complete", backend, signal);

        model.claimed(client.claim(300));
        String yJob = model.heldJobs().get(0);
        model.failed(yJob, MAX_ATTEMPTS, client.fail(yJob, "model timed out"));
        survive("fail, retried", backend, signal);

        // Y again under a 1 s lease, then Z; once Y's lease runs out, a claim takes Y back
        model.claimed(client.claim(1));
        model.claimed(client.claim(300));
        reclaimAfterExpiry();
        survive("re-claim after lease expiry", backend, signal);

        String lastYJob = model.jobOn(model.idOf(TestApp.BOB, Corpus.sha256(y)));
        model.failed(lastYJob, MAX_ATTEMPTS, client.fail(lastYJob, "still failing"));
        survive("fail, last attempt", backend, signal);

        String zId = model.idOf(TestApp.ALICE, Corpus.sha256(z));
        model.deleted(zId, client.delete(zId, TestApp.ALICE));
        survive("delete", backend, signal);

        // resumable uploads: W is sent in two parts and completed, V is given up part-way
        byte[] w = GeneratedImages.png(4).getBytes();
        byte[] v = GeneratedImages.png(5).getBytes();
        String wPath = model.uploadCreated(TestApp.BOB, w, client.createUpload(TestApp.BOB, w.length));
        String vPath = model.uploadCreated(TestApp.ALICE, v, client.createUpload(TestApp.ALICE, v.length));
        survive("resumable creation", backend, signal);

        model.patch(client, wPath, w.length / 2);
        model.patch(client, vPath, v.length / 2);
        survive("resumable PATCH, part", backend, signal);

        model.uploadTerminated(vPath, client.deleteUpload(vPath, TestApp.ALICE));
        survive("resumable termination", backend, signal);

        model.patch(client, wPath, w.length);
        survive("resumable PATCH, completing", backend, signal);
      } finally {
        service.kill();
      }
    }
    System.out.printf("durability matrix, %s backend, %s:%n%s%n", backendName, signal, String.join("\n", rows));
  }

  /** Claims until the image whose lease ran out is handed out again (polling the queue, which answers 204 until then). */
  private void reclaimAfterExpiry() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Answer answer = client.claim(300);
      model.claimed(answer);
      if (answer.status() == 200) {
        assertThat(answer.json().getInteger("attempt")).as("the re-claim is the image's third attempt").isEqualTo(3);
        return;
      }
      assertThat(System.nanoTime()).as("the expired lease is claimable again within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a pause between polls, not a wait for an event
    }
  }

  private void survive(String write, Backend backend, String signal) throws Exception {
    if (signal.equals("SIGKILL")) {
      service.kill();
    } else {
      service.terminate();
      assertThat(service.awaitExit(Duration.ofSeconds(60))).as("exit status after SIGTERM\n%s", service.logTail()).isIn(0, 143);
    }
    service = ServiceProcess.start(storage, backend, CONFIG);
    try {
      model.verify(client);
    } catch (AssertionError e) {
      throw new AssertionError("after the " + write + " and " + signal + ": " + e.getMessage(), e);
    }
    rows.add(String.format("  %-28s %-8s survived (%d images acknowledged)", write, signal, model.size()));
  }
}
