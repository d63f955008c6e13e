package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.imgedge.support.Hashing;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
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
  /** False once the server answered DeleteObjects with 501 Not Implemented. */
  private volatile boolean batchDelete = true;

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
  public Future<Void> delete(String upload, String name) {
    return vertx.executeBlocking(() -> {
      s3.deleteObject(b -> b.bucket(bucket).key(PREFIX + upload + "/" + name));
      return null;
    }, false);
  }

  /**
   * One DeleteObjects per listed page (a page holds at most 1,000 keys, what one DeleteObjects takes): an
   * upload of 1-byte PATCHes has as many parts as {@code uploads.maxParts}. DeleteObjects needs a checksum
   * header, which some S3-compatible servers do not implement (S3Proxy answers 501): after such an answer
   * this store deletes key by key, as {@link S3BlobStore} does.
   */
  @Override
  public Future<Void> deleteAll(String upload) {
    return vertx.executeBlocking(() -> {
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX + upload + "/").maxKeys(1000))) {
        List<String> keys = page.contents().stream().map(S3Object::key).toList();
        if (!keys.isEmpty() && !(batchDelete && deleteBatch(upload, keys))) {
          keys.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        }
      }
      return null;
    }, false);
  }

  /** @return false when the server does not implement DeleteObjects (nothing was deleted then) */
  private boolean deleteBatch(String upload, List<String> keys) throws IOException {
    List<ObjectIdentifier> ids = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
    DeleteObjectsResponse deleted;
    try {
      deleted = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
    } catch (S3Exception e) {
      if (e.statusCode() != 501) {
        throw e;
      }
      batchDelete = false;
      return false;
    }
    if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
      throw new IOException("S3 did not delete " + deleted.errors().size() + " parts of " + upload + ", e.g. "
          + deleted.errors().get(0).key() + ": " + deleted.errors().get(0).code());
    }
    return true;
  }

  @Override
  public void close() {
    s3.close();
  }
}
