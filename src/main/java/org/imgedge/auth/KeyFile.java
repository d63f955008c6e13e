package org.imgedge.auth;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a fresh install uses when none are configured: an admin key and a client key, made once
 * and kept in {@code <storage.dir>/keys.json}, readable by the service's user only.
 */
public final class KeyFile {

  private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
  static final String NAME = "keys.json";

  private KeyFile() {}

  /** Blocking. Reads the key file, or creates it with new random keys when it does not exist. */
  public static List<ApiKey> loadOrCreate(Path storageDir) throws IOException {
    Path file = storageDir.resolve(NAME);
    if (Files.exists(file)) {
      JsonObject json = new JsonObject(Files.readString(file));
      return json.getJsonArray("keys").stream()
          .map(JsonObject.class::cast)
          .map(k -> new ApiKey(k.getString("key"), k.getString("subject"), Role.valueOf(k.getString("role").toUpperCase())))
          .toList();
    }
    List<ApiKey> keys = List.of(
        new ApiKey(randomKey(), "admin", Role.ADMIN),
        new ApiKey(randomKey(), "default", Role.CLIENT));
    Files.createDirectories(storageDir);
    Path tmp = Files.createTempFile(storageDir, "keys", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, AuthConfig.toJson(keys).encodePrettily(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    // The one time the location is printed; the keys themselves never reach a log.
    log.warn("No auth.keys configured: created an admin key and a client key in {} (readable by this user only). "
        + "Read them with: cat {}", file.toAbsolutePath(), file.toAbsolutePath());
    return keys;
  }

  private static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
