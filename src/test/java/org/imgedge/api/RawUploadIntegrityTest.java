package org.imgedge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imgedge.testing.RunningApp.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.TestApp;
import org.imgedge.testing.WithService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A raw body arrives in many chunks, each written to the staging file asynchronously. The upload must
 * be inspected (format, SHA-256) only once every chunk is on disk, or a photo is refused as
 * unsupported or recorded under the hash of part of its bytes.
 */
@WithService
@Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
class RawUploadIntegrityTest {

  @Test
  @DisplayName("every raw upload of the photos and orientation samples is accepted with the SHA-256 and size of the whole file")
  void rawUploadsAreWhole(VertxTestContext ctx) {
    List<Path> files = Stream.concat(Corpus.files("photos").stream(), Corpus.files("orientation").stream()).toList();
    List<String> wrong = new ArrayList<>();
    // three owners uploading side by side (each its own copy, so none is a repeat): the race is
    // more likely with the file system busy, and it must never be lost
    List<Future<Void>> owners = new ArrayList<>();
    for (String key : List.of(TestApp.ALICE, TestApp.BOB, TestApp.ADMIN)) {
      owners.add(uploadAll(key, files, wrong));
    }
    Future.all(owners).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(wrong).as("raw uploads not taken whole, of " + 3 * files.size()).isEmpty();
      ctx.completeNow();
    })));
  }

  /** Uploads the files one after the other, noting each one not recorded with its whole bytes. */
  private static Future<Void> uploadAll(String key, List<Path> files, List<String> wrong) {
    Future<Void> chain = Future.succeededFuture();
    for (Path file : files) {
      chain = chain.compose(v -> service().uploadRaw(key, file)).map(r -> {
        String expected = Corpus.sha256(file);
        JsonObject original = r.statusCode() == 201 ? r.bodyAsJsonObject().getJsonObject("original") : null;
        if (original == null || !expected.equals(original.getString("sha256"))
            || original.getLong("bytes") != Corpus.bytes(file).length) {
          wrong.add(file.getFileName() + " expected " + Corpus.bytes(file).length + " bytes, sha256 " + expected + ", got " + ": " + r.statusCode() + " " + r.bodyAsString());
        }
        return null;
      });
    }
    return chain;
  }
}
