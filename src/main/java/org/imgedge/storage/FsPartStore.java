package org.imgedge.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Parts as files, {@code <root>/<upload>/<part>}: synced, moved in atomically, folder synced. */
final class FsPartStore implements PartStore {

  private final Vertx vertx;
  private final Path root;

  FsPartStore(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  @Override
  public Future<Void> put(String upload, String name, Path file) {
    return vertx.executeBlocking(() -> {
      Path dir = root.resolve(upload);
      boolean fresh = !Files.isDirectory(dir);
      Files.createDirectories(dir);
      FsBlobStore.sync(file);
      Files.move(file, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      FsBlobStore.sync(dir);
      if (fresh) {
        FsBlobStore.sync(root);
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> concatenate(String upload, List<String> names, Path target) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target)) {
        for (String name : names) {
          Files.copy(root.resolve(upload).resolve(name), out);
        }
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> delete(String upload, String name) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(root.resolve(upload).resolve(name));
      return null;
    }, false);
  }

  @Override
  public Future<Void> deleteAll(String upload) {
    return vertx.executeBlocking(() -> {
      FsBlobStore.deleteTree(root.resolve(upload));
      return null;
    }, false);
  }
}
