package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.support.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3-compatible bucket, under the file store's layout:
 * {@code <last two hex digits of the id>/<id>/<name>}. Staging stays on the local disk. A commit is
 * durable once every PUT is acknowledged, which is S3's durability point.
 *
 * <p>The client is the AWS SDK for Java v2, the most widely used and maintained S3 client, which
 * talks to any S3-compatible server through {@code endpointOverride} and path-style addressing. It is
 * the synchronous client over the JDK's HTTP connection (Vert.x already brings Netty, so the SDK's
 * Netty and Apache clients are left out) and every call runs in {@code executeBlocking}.
 */
final class S3BlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  private final Vertx vertx;
  private final Path staging;
  private final S3Client s3;
  private final String bucket;

  S3BlobStore(Vertx vertx, Path staging, S3Client s3, String bucket) {
    this.vertx = vertx;
    this.staging = staging;
    this.s3 = s3;
    this.bucket = bucket;
  }

  static S3Client client(S3Config config) {
    AwsCredentialsProvider credentials = config.accessKey() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.pathStyle())
        // Since SDK 2.30 the default sends aws-chunked bodies with trailing CRC32 checksums, which many
        // S3-compatible servers refuse. We send Content-MD5 ourselves, which every server checks.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (config.endpoint() != null) {
      builder.endpointOverride(URI.create(config.endpoint()));
    }
    return builder.build();
  }

  @Override
  public Path stagingDir() {
    return staging;
  }

  @Override
  public Future<Void> commit(Map<BlobKey, Path> staged) {
    // One PUT after the other: an image has an original and a few small variants.
    return blocking(() -> {
      List<String> put = new ArrayList<>();
      try {
        for (Map.Entry<BlobKey, Path> e : staged.entrySet()) {
          String key = e.getKey().path();
          Path file = e.getValue();
          String md5 = md5(file);
          s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType(e.getKey())).contentMD5(md5),
              RequestBody.fromFile(file));
          put.add(key);
        }
      } catch (IOException | RuntimeException e) {
        for (String key : put) {
          try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
          } catch (RuntimeException undo) {
            e.addSuppressed(undo);
          }
        }
        throw e;
      }
      for (Path file : staged.values()) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // the objects are durable; a leftover staged file goes at the next clearStaging()
          log.warn("cannot delete staged file {}: {}", file, e.toString());
        }
      }
      return null;
    });
  }

  @Override
  public Future<Buffer> read(BlobKey key) {
    return blocking(() -> Buffer.buffer(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key.path())).asByteArray()));
  }

  @Override
  public Future<ReadStream<Buffer>> open(BlobKey key) {
    return blocking(() -> (InputStream) s3.getObject(b -> b.bucket(bucket).key(key.path())))
        .map(in -> new InputStreamReadStream(vertx.getOrCreateContext(), in));
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    // S3 answers a delete of a missing key with success
    return blocking(() -> s3.deleteObject(b -> b.bucket(bucket).key(key.path()))).mapEmpty();
  }

  @Override
  public Future<Void> deleteImage(String imageId) {
    String prefix = BlobKey.folderOf(imageId);
    // DeleteObject per key rather than the multi-object delete, whose checksum header some servers
    // want as Content-MD5 and others as x-amz-checksum-*; an image has only a handful of objects.
    return blocking(() -> {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
      }
      return null;
    });
  }

  @Override
  public Future<List<String>> imageIds(String shard) {
    // With a delimiter, S3 answers one common prefix per image folder instead of every object.
    return blocking(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(shard + "/").delimiter("/"))
        .commonPrefixes().stream()
        .map(p -> p.prefix().substring(shard.length() + 1, p.prefix().length() - 1))
        .toList());
  }

  @Override
  public Future<Void> check() {
    return blocking(() -> {
      Files.createDirectories(staging);
      Files.delete(Files.createTempFile(staging, "ready", ".probe"));
      s3.headBucket(b -> b.bucket(bucket));
      return null;
    });
  }

  @Override
  public void clearStaging() {
    try {
      FsBlobStore.deleteTree(staging);
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare staging under " + staging, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  private static String contentType(BlobKey key) {
    int dot = key.name().lastIndexOf('.');
    VariantFormat format = dot < 0 ? null : VariantFormat.ofExtension(key.name().substring(dot + 1));
    return format == null ? "application/octet-stream" : format.contentType();
  }

  /**
   * Runs an SDK call on a worker; a missing object fails as {@link NoSuchFileException}, as in the file
   * store, and a store that cannot answer as {@link StorageUnavailableException}.
   */
  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(() -> {
      try {
        return call.call();
      } catch (NoSuchKeyException e) {
        NoSuchFileException missing = new NoSuchFileException(e.getMessage());
        missing.initCause(e);
        throw missing;
      } catch (SdkClientException e) {
        throw new StorageUnavailableException(e); // not reached, reset, or timed out: nothing wrong with the request
      } catch (AwsServiceException e) {
        if (e.statusCode() >= 500) {
          throw new StorageUnavailableException(e); // the store's own "not now" (500, 503 SlowDown)
        }
        throw e;
      }
    }, false);
  }

  /** Blocking: the base64 MD5 the server checks the body against before it acknowledges the PUT. */
  private static String md5(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(Hashing.digest(file, "MD5"));
  }
}
