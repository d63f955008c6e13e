package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.imgedge.support.Hashing;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Parts as objects {@code partial/<upload>/<part>} in the blob bucket, each PUT with Content-MD5, so it is
 * durable and intact once acknowledged. See {@link PartStore} for why not S3 multipart upload.
 */
final class S3PartStore implements PartStore {

  private static final String PREFIX = "partial/";
  private final Vertx vertx;
  private final S3Client s3;
  private final String bucket;

  S3PartStore(Vertx vertx, S3Client s3, String bucket) {
    this.vertx = vertx;
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public Future<Void> put(String upload, String name, Path file) {
    return vertx.executeBlocking(() -> {
      String md5 = Base64.getEncoder().encodeToString(Hashing.digest(file, "MD5"));
      s3.putObject(b -> b.bucket(bucket).key(PREFIX + upload + "/" + name).contentMD5(md5), RequestBody.fromFile(file));
      Files.deleteIfExists(file);
      return null;
    }, false);
  }

  @Override
  public Future<Void> concatenate(String upload, List<String> names, Path target) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        for (String name : names) {
          try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(PREFIX + upload + "/" + name))) {
            in.transferTo(out);
          }
        }
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> deleteAll(String upload) {
    return vertx.executeBlocking(() -> {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX + upload + "/")).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
      }
      return null;
    }, false);
  }

  @Override
  public void close() {
    s3.close();
  }
}
