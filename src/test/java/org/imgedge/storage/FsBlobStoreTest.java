package org.imgedge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The file store against the {@link BlobStore} contract, plus where it puts files. */
class FsBlobStoreTest extends BlobStoreContractTest {

  @Override
  BlobStore newStore(Vertx vertx, Path dir) {
    return BlobStore.fs(vertx, dir);
  }

  @Test
  @DisplayName("a committed blob is a file at blobs/<last two digits>/<id>/<name>")
  void layout(VertxTestContext ctx) throws IOException {
    String id = newId();
    store.commit(Map.of(BlobKey.variant(id, "small"), stage(id, "small.jpg", randomBytes(100))))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(dir.resolve("blobs").resolve(id.substring(id.length() - 2)).resolve(id).resolve("small.jpg")).hasSize(100);
          ctx.completeNow();
        })));
  }
}
