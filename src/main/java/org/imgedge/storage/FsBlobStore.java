package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Blobs as files: {@code blobs/<last two hex digits of the id>/<id>/<name>}. A commit syncs each file,
 * renames it into place atomically and syncs the folder, so a crash leaves either the whole file or
 * nothing under its final name. Staging lives in the same file system, so the rename never copies.
 */
final class FsBlobStore implements BlobStore {

  private final Vertx vertx;
  private final Path blobs;
  private final Path staging;

  FsBlobStore(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.blobs = dir.resolve("blobs");
    this.staging = dir.resolve("staging");
  }

  @Override
  public Path stagingDir() {
    return staging;
  }

  @Override
  public Future<Void> commit(Map<BlobKey, Path> staged) {
    return vertx.executeBlocking(() -> {
      List<Path> placed = new ArrayList<>();
      try {
        for (Map.Entry<BlobKey, Path> e : staged.entrySet()) {
          Path target = pathOf(e.getKey());
          Files.createDirectories(target.getParent());
          sync(e.getValue());
          Files.move(e.getValue(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          placed.add(target);
        }
        for (Path dir : placed.stream().map(Path::getParent).distinct().toList()) {
          sync(dir);
        }
        sync(blobs);
        return null;
      } catch (IOException | RuntimeException e) {
        for (Path p : placed) {
          Files.deleteIfExists(p);
        }
        throw e;
      }
    }, false);
  }

  @Override
  public Future<Buffer> read(BlobKey key) {
    return vertx.fileSystem().readFile(pathOf(key).toString());
  }

  @Override
  public Future<ReadStream<Buffer>> open(BlobKey key) {
    return vertx.fileSystem().open(pathOf(key).toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .map(f -> f);
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    return vertx.executeBlocking(() -> Files.deleteIfExists(pathOf(key)), false).mapEmpty();
  }

  @Override
  public Future<Void> deleteImage(String imageId) {
    Path dir = pathOf(BlobKey.original(imageId)).getParent();
    return vertx.executeBlocking(() -> {
      deleteTree(dir);
      return null;
    }, false);
  }

  @Override
  public Future<List<String>> imageIds(String shard) {
    Path dir = blobs.resolve(shard);
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> entries = Files.list(dir)) {
        return entries.map(p -> p.getFileName().toString()).toList();
      }
    }, false);
  }

  @Override
  public Future<Void> check() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(staging);
      Path probe = Files.createTempFile(staging, "ready", ".probe");
      Files.delete(probe);
      return null;
    }, false);
  }

  @Override
  public void clearStaging() {
    try {
      deleteTree(staging);
      Files.createDirectories(staging);
      Files.createDirectories(blobs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare storage under " + staging.getParent(), e);
    }
  }

  Path pathOf(BlobKey key) {
    return blobs.resolve(key.path());
  }

  static void sync(Path path) throws IOException {
    // Folders are opened read-only: fsync on a directory handle makes the rename itself durable.
    try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }
    });
  }
}
