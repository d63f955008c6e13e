package org.imgedge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.imgedge.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import java.util.LinkedHashMap;
import org.imgedge.catalog.VariantFormat;

/** The S3 store against the {@link BlobStore} contract, on a real S3-compatible server (S3Proxy). */
class S3BlobStoreTest extends BlobStoreContractTest {

  static final String BUCKET = "imgedge-test";

  @TempDir
  static Path serverDir;

  static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws IOException, InterruptedException {
    server = S3ProxyServer.start(serverDir);
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  BlobStore newStore(Vertx vertx, Path dir) {
    return BlobStore.s3(vertx, dir, server.config(BUCKET));
  }

  @Test
  @DisplayName("a committed blob is the object <last two digits>/<id>/<name>, with its content type in every format")
  void layout(VertxTestContext ctx) throws IOException {
    String id = newId();
    Map<BlobKey, Path> staged = new LinkedHashMap<>();
    for (VariantFormat f : VariantFormat.values()) {
      staged.put(BlobKey.variant(id, "small", f), stage(id, "small." + f.extension(), randomBytes(100)));
    }
    staged.put(BlobKey.original(id), stage(id, "original", randomBytes(100)));
    store.commit(staged)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          try (S3Client s3 = server.client()) {
            String folder = id.substring(id.length() - 2) + "/" + id + "/";
            for (VariantFormat f : VariantFormat.values()) {
              HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(folder + "small." + f.extension()));
              assertThat(head.contentLength()).isEqualTo(100);
              assertThat(head.contentType()).as("%s", f).isEqualTo(f.contentType());
            }
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key(folder + "original")).contentType())
                .isEqualTo("application/octet-stream");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("check() fails once the server is gone, and also for a bucket that does not exist")
  void checkFailsWithoutServer(Vertx vertx, VertxTestContext ctx, @TempDir Path ownServerDir) throws Exception {
    S3ProxyServer own = S3ProxyServer.start(ownServerDir);
    own.createBucket(BUCKET);
    BlobStore ownStore = BlobStore.s3(vertx, dir.resolve("own"), own.config(BUCKET));
    BlobStore noBucket = BlobStore.s3(vertx, dir.resolve("none"), server.config("no-such-bucket"));
    ownStore.check()
        .compose(v -> vertx.executeBlocking(() -> {
          own.stop();
          return null;
        }))
        .compose(v -> failure(ownStore.check()))
        .compose(e -> failure(noBucket.check()))
        .eventually(() -> {
          ownStore.close();
          noBucket.close();
          return vertx.executeBlocking(() -> {
            own.stop();
            return null;
          });
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
