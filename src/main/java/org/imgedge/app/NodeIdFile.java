package org.imgedge.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * This node's id, kept in its storage folder so that it outlives a restart: the blob intents of an earlier
 * run carry it, and the new run knows no live process holds them.
 */
final class NodeIdFile {

  private static final String NAME = "node-id";

  private NodeIdFile() {}

  static String loadOrCreate(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    String id = UUID.randomUUID().toString();
    Path temp = dir.resolve(NAME + ".tmp");
    Files.writeString(temp, id + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return id;
  }
}
