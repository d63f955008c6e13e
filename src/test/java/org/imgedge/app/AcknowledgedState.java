package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.TestApp;

/**
 * A model of everything the service acknowledged: which images exist, whose they are, the SHA-256 of
 * their bytes, their analysis state and the job leases held on them; which images were deleted; and
 * uploads whose answer never came (a kill cut them), which may or may not have been recorded. After a
 * restart, {@link #verify} holds the service to the model, whole.
 */
final class AcknowledgedState {

  /** One image as the API acknowledged it. {@code status} is the analysis status; {@code result} is set once done. */
  static final class Entry {
    final String owner;
    final String sha256;
    String status = "pending";
    JsonObject result;

    Entry(String owner, String sha256) {
      this.owner = owner;
      this.sha256 = sha256;
    }
  }

  private final Map<String, Entry> images = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();
  /** Held leases: job id -> image id. */
  private final Map<String, String> jobs = new LinkedHashMap<>();
  /** Attempt of each held job, as the claim reported it. */
  private final Map<String, Integer> attempts = new HashMap<>();
  /** One resumable (tus) upload as the API acknowledged it: its bytes, and how many of them were stored. */
  private static final class Resumable {
    final String owner;
    final byte[] bytes;
    long offset;
    /** Set once the completing PATCH named the image. */
    String imageId;
    boolean terminated;

    Resumable(String owner, byte[] bytes) {
      this.owner = owner;
      this.bytes = bytes;
    }
  }

  /** Resumable uploads by their path ({@code /v1/uploads/{id}}). */
  private final Map<String, Resumable> resumables = new LinkedHashMap<>();
  /** Uploads sent whose answer was lost: owner key + SHA-256. After a restart each is either whole or absent. */
  private final Map<String, String> unanswered = new HashMap<>();

  void uploaded(String ownerKey, String sha256, Answer answer) {
    assertThat(answer.status()).as("upload: %s", answer).isIn(200, 201);
    String id = answer.json().getString("id");
    if (answer.status() == 200) {
      assertThat(images).as("a 200 names an image acknowledged before: %s", answer).containsKey(id);
    } else {
      assertThat(images).as("a 201 names a new image").doesNotContainKey(id);
      images.put(id, new Entry(ownerKey, sha256));
    }
    assertThat(images.get(id).sha256).isEqualTo(sha256);
  }

  /** @return the new upload's path */
  String uploadCreated(String ownerKey, byte[] bytes, Answer answer) {
    assertThat(answer.status()).as("tus creation: %s", answer).isEqualTo(201);
    assertThat(answer.header("Upload-Offset")).isEqualTo("0");
    String path = URI.create(answer.header("Location")).getPath();
    resumables.put(path, new Resumable(ownerKey, bytes));
    return path;
  }

  /** The resumable uploads neither completed nor terminated. */
  List<String> openUploads() {
    return resumables.entrySet().stream().filter(e -> e.getValue().imageId == null && !e.getValue().terminated)
        .map(Map.Entry::getKey).toList();
  }

  String uploadOwner(String path) {
    return resumables.get(path).owner;
  }

  int uploadLength(String path) {
    return resumables.get(path).bytes.length;
  }

  /**
   * PATCHes, as its owner, the upload's next {@code count} bytes (the rest, at most) at its acknowledged offset;
   * the PATCH that brings the last byte names the image.
   */
  void patch(ServiceClient client, String path, int count) {
    Resumable r = resumables.get(path);
    byte[] part = Arrays.copyOfRange(r.bytes, (int) r.offset, (int) Math.min(r.bytes.length, r.offset + count));
    Answer answer = client.patchUpload(path, r.owner, r.offset, part);
    assertThat(answer.status()).as("tus PATCH: %s", answer).isEqualTo(204);
    r.offset += part.length;
    assertThat(answer.header("Upload-Offset")).as("the offset the PATCH acknowledged").isEqualTo(Long.toString(r.offset));
    if (r.offset == r.bytes.length) {
      r.imageId = answer.header("Image-Id");
      assertThat(r.imageId).as("the completing PATCH names the image").isNotNull();
      String sha256 = Corpus.sha256(r.bytes);
      images.putIfAbsent(r.imageId, new Entry(r.owner, sha256));
      assertThat(images.get(r.imageId).sha256).isEqualTo(sha256);
    }
  }

  void uploadTerminated(String path, Answer answer) {
    assertThat(answer.status()).as("tus termination: %s", answer).isEqualTo(204);
    resumables.get(path).terminated = true;
  }

  void unanswered(String ownerKey, String sha256) {
    unanswered.put(sha256, ownerKey);
  }

  /** The live image with these bytes for this owner, if one was acknowledged. */
  String idOf(String ownerKey, String sha256) {
    return images.entrySet().stream().filter(e -> e.getValue().owner.equals(ownerKey) && e.getValue().sha256.equals(sha256))
        .map(Map.Entry::getKey).findFirst().orElse(null);
  }

  void deleted(String id, Answer answer) {
    assertThat(answer.status()).as("delete: %s", answer).isEqualTo(204);
    images.remove(id);
    deleted.add(id);
    jobs.values().removeIf(id::equals);
  }

  /** @param answer of a claim: 200 with a job, or 204 when nothing was claimable */
  void claimed(Answer answer) {
    assertThat(answer.status()).as("claim: %s", answer).isIn(200, 204);
    if (answer.status() == 204) {
      assertThat(images.entrySet()).as("nothing pending when a claim finds nothing (backoff is 0)")
          .noneMatch(e -> e.getValue().status.equals("pending"));
      return;
    }
    JsonObject job = answer.json();
    String imageId = job.getString("imageId");
    Entry entry = images.get(imageId);
    assertThat(entry).as("a claim hands out a live image: %s", job).isNotNull();
    // a re-claim after the lease expired takes the image back from the job that held it
    jobs.values().removeIf(imageId::equals);
    jobs.put(job.getString("jobId"), imageId);
    attempts.put(job.getString("jobId"), job.getInteger("attempt"));
    entry.status = "processing";
  }

  void completed(String jobId, JsonObject result, Answer answer) {
    assertThat(answer.status()).as("complete: %s", answer).isEqualTo(204);
    Entry entry = images.get(jobs.remove(jobId));
    entry.status = "done";
    entry.result = result;
  }

  void failed(String jobId, int maxAttempts, Answer answer) {
    assertThat(answer.status()).as("fail: %s", answer).isEqualTo(204);
    Entry entry = images.get(jobs.remove(jobId));
    entry.status = attempts.get(jobId) >= maxAttempts ? "failed" : "pending";
  }

  /** The job that holds a lease on this image. */
  String jobOn(String imageId) {
    return jobs.entrySet().stream().filter(e -> e.getValue().equals(imageId)).map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  List<String> heldJobs() {
    return new ArrayList<>(jobs.keySet());
  }

  List<String> liveImages() {
    return new ArrayList<>(images.keySet());
  }

  String ownerOf(String id) {
    return images.get(id).owner;
  }

  int size() {
    return images.size();
  }

  /**
   * Holds the service to the model: the same set of images, each with its bytes, variants, owner and
   * analysis state; every deleted image 404 everywhere. An upload whose answer was lost is adopted into
   * the model if it is there, and then it must be whole.
   */
  void verify(ServiceClient client) {
    Set<String> listed = client.listAll(TestApp.ADMIN);
    for (String id : listed) {
      if (!images.containsKey(id)) {
        adoptUnanswered(client, id);
      }
    }
    unanswered.clear();
    assertThat(listed).as("the images listed are exactly those acknowledged").containsExactlyInAnyOrderElementsOf(images.keySet());
    for (Map.Entry<String, Entry> e : images.entrySet()) {
      verifyImage(client, e.getKey(), e.getValue());
    }
    resumables.forEach((path, r) -> verifyResumable(client, path, r));
    for (String id : deleted) {
      assertThat(client.get("/v1/images/" + id, TestApp.ADMIN).status()).as("deleted image %s", id).isEqualTo(404);
      assertThat(client.get("/v1/images/" + id + "/original", TestApp.WORKER).status()).as("original of deleted %s", id).isEqualTo(404);
      assertThat(client.get("/v1/images/" + id + "/small.jpg", null).status()).as("variant of deleted %s", id).isEqualTo(404);
    }
  }

  /** A terminated upload is gone; any other answers HEAD with the offset acknowledged, and names its image once complete. */
  private static void verifyResumable(ServiceClient client, String path, Resumable r) {
    Answer head = client.headUpload(path, r.owner);
    if (r.terminated) {
      assertThat(head.status()).as("terminated upload %s", path).isEqualTo(404);
      return;
    }
    assertThat(head.status()).as("upload %s", path).isEqualTo(200);
    assertThat(head.header("Upload-Offset")).as("offset of upload %s", path).isEqualTo(Long.toString(r.offset));
    assertThat(head.header("Upload-Length")).as("length of upload %s", path).isEqualTo(Integer.toString(r.bytes.length));
    assertThat(head.header("Image-Id")).as("image of upload %s", path).isEqualTo(r.imageId);
  }

  private void adoptUnanswered(ServiceClient client, String id) {
    JsonObject image = client.get("/v1/images/" + id, TestApp.ADMIN).json();
    String sha = image.getJsonObject("original").getString("sha256");
    assertThat(unanswered).as("image %s was never acknowledged, nor sent unanswered", id).containsKey(sha);
    images.put(id, new Entry(unanswered.remove(sha), sha));
  }

  private static void verifyImage(ServiceClient client, String id, Entry entry) {
    Answer answer = client.get("/v1/images/" + id, entry.owner);
    assertThat(answer.status()).as("image %s for its owner", id).isEqualTo(200);
    JsonObject analysis = answer.json().getJsonObject("analysis");
    assertThat(analysis.getString("status")).as("analysis of %s", id).isEqualTo(entry.status);
    if (entry.result != null) {
      assertThat(analysis.getJsonObject("result")).as("analysis result of %s", id).isEqualTo(entry.result);
    }
    Answer original = client.get("/v1/images/" + id + "/original", TestApp.WORKER);
    assertThat(original.status()).as("original of %s", id).isEqualTo(200);
    assertThat(Corpus.sha256(original.body())).as("original of %s is byte-identical", id).isEqualTo(entry.sha256);
    for (String preset : List.of("small", "medium")) {
      assertThat(client.get("/v1/images/" + id + "/" + preset + ".jpg", null).status()).as("%s of %s", preset, id).isEqualTo(200);
    }
  }
}
