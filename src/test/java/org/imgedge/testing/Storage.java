package org.imgedge.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the service left behind, read behind its back: rows of its catalog (SQLite or PostgreSQL),
 * its blobs (files under {@code blobs/} or objects in its bucket) and regular files under
 * {@code staging/}. Blocking; tests call it from their own thread or inside {@code ctx.verify}.
 */
public final class Storage {

  private final Path dir;
  private final Backend backend;

  Storage(Path dir, Backend backend) {
    this.dir = dir;
    this.backend = backend;
  }

  /** Rows in the images table. */
  public long rows() {
    return count("SELECT COUNT(*) FROM images", null);
  }

  /** Rows for one image id. */
  public long rows(String imageId) {
    return count("SELECT COUNT(*) FROM images WHERE id = ?", imageId);
  }

  /** Rows holding an original with this SHA-256, whoever owns them. */
  public long rowsWithSha(String sha256) {
    return count("SELECT COUNT(*) FROM images WHERE sha256 = ?", sha256);
  }

  /** The original, and small and medium each in JPEG and WebP, as the default presets make them. */
  public static final int BLOBS_PER_IMAGE = 5;

  /** Every stored blob: regular files under blobs/ (folders left empty do not count), or object keys. */
  public List<Path> blobFiles() {
    return backend.blobs(dir);
  }

  /** Regular files under blobs/ whose path names the image. */
  public List<Path> blobFiles(String imageId) {
    return blobFiles().stream().filter(p -> p.toString().contains(imageId)).toList();
  }

  /** Rows in the blob_intents table: images whose blobs may exist without a row. */
  public long intents() {
    return count("SELECT COUNT(*) FROM blob_intents", null);
  }

  /** Rows of resumable uploads that did not become an image (yet): under way, or abandoned. */
  public long unfinishedUploads() {
    return count("SELECT COUNT(*) FROM tus_uploads WHERE image_id IS NULL", null);
  }

  /** The offset the catalog holds for one resumable upload; -1 when it has no row. */
  public long uploadOffset(String uploadId) {
    return count("SELECT COALESCE(MAX(upload_offset), -1) FROM tus_uploads WHERE id = ?", uploadId);
  }

  /** The stored parts of unfinished resumable uploads: files under partial/, or the bucket's partial/ keys. */
  public List<Path> partialParts() {
    return backend.partialParts(dir);
  }

  /** A connection to the catalog's database, for a test that takes locks behind the service's back. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(backend.jdbcUrl(dir));
  }

  /** Ids of the images whose blobs are stored but that have no row: what a crash can leave. */
  public Set<String> orphans() {
    Set<String> ids = new TreeSet<>();
    blobFiles().forEach(p -> ids.add(p.getParent().getFileName().toString()));
    ids.removeAll(rowIds());
    return ids;
  }

  private Set<String> rowIds() {
    String url = backend.jdbcUrl(dir);
    try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement("SELECT id FROM images");
        ResultSet r = s.executeQuery()) {
      Set<String> ids = new HashSet<>();
      while (r.next()) {
        ids.add(r.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + url, e);
    }
  }

  /** Regular files under staging/ (the {@code uploads} folder itself may stay). */
  public List<Path> stagingFiles() {
    return files(dir.resolve("staging"));
  }

  /**
   * Completes once staging holds no regular file. The service deletes a request's upload file when
   * the response has ended, so the deletion may trail the response by a moment; this waits for it
   * (checking every 20 ms, failing after {@code attempts} checks) instead of sleeping a guessed time.
   */
  public Future<Void> stagingDrained(Vertx vertx, int attempts) {
    List<Path> left = stagingFiles();
    if (left.isEmpty()) {
      return Future.succeededFuture();
    }
    if (attempts <= 1) {
      return Future.failedFuture(new AssertionError("files left under staging/: " + left));
    }
    Promise<Void> next = Promise.promise();
    vertx.setTimer(20, t -> stagingDrained(vertx, attempts - 1).onComplete(next));
    return next.future();
  }

  private long count(String sql, String arg) {
    String url = backend.jdbcUrl(dir);
    try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(sql)) {
      if (arg != null) {
        s.setString(1, arg);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + url, e);
    }
  }

  /** Regular files under {@code root}, sorted. One the service deletes while this walks is simply not listed. */
  static List<Path> files(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile()) {
            found.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    return found;
  }
}
