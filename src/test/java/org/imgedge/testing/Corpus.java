package org.imgedge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test corpus of real images (src/test/resources/corpus), read in place from the folder named by
 * the system property {@code imgedge.corpus}, which Surefire sets; an IDE run from the project folder
 * finds it without.
 */
public final class Corpus {

  private Corpus() {}

  /** The corpus folder itself. */
  public static Path root() {
    return Path.of(System.getProperty("imgedge.corpus", "src/test/resources/corpus"));
  }

  public static Path dir(String folder) {
    Path dir = root().resolve(folder);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("corpus folder missing: " + dir.toAbsolutePath() + " (system property imgedge.corpus)");
    }
    return dir;
  }

  public static Path file(String folder, String name) {
    return dir(folder).resolve(name);
  }

  /** The images of one folder, sorted by name, without licence or readme files. */
  public static List<Path> files(String folder) {
    try (Stream<Path> s = Files.list(dir(folder))) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().matches("(?i).*(license|readme).*"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(Path file) {
    return sha256(bytes(file));
  }
}
