package org.imgedge.storage;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * {@code storage}: where blobs live.
 *
 * @param dir                the file store's folder, and the staging folder uploads are received into
 * @param s3                 where committed blobs go instead when {@link S3Config#enabled()}; staging stays under {@code dir}
 * @param orphanGraceSeconds blobs without an image row are removed once their image is this old; younger
 *     ones may belong to an upload another node is recording right now (0 is safe on a single node)
 */
public record StorageConfig(Path dir, S3Config s3, int orphanGraceSeconds) {
  public static StorageConfig from(Json j) {
    String dir = j.string("dir", "data");
    if (dir.isBlank()) {
      throw new ConfigException("storage.dir", "must not be empty");
    }
    // the same trick as auth keys: a one-entry root so every error names the full key
    Json s3 = new Json(new JsonObject().put("storage.s3", j.raw().getValue("s3")), "storage.s3");
    return new StorageConfig(Path.of(dir), S3Config.from(s3), j.integer("orphanGraceSeconds", 3600, 0, 30 * 86400));
  }
}
