package org.imgedge.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex: the dedup key of originals, the ETag of variants, the fingerprint of preset sets. */
public final class Hashing {

  private Hashing() {}

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** Blocking: the file's SHA-256, as hex. */
  public static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(digest(file, "SHA-256"));
  }

  /**
   * Blocking: streams the file through the digest in 64 KiB reads.
   *
   * @param algorithm one every JDK has: "SHA-256" or "MD5"
   */
  public static byte[] digest(Path file, String algorithm) throws IOException {
    MessageDigest md = digest(algorithm);
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  /**
   * The entry that a preset set's fingerprint has besides its presets, and an image's only once it has its
   * ThumbHash placeholder: so images recorded before placeholders existed are behind the presets, and the
   * regeneration gives them one. Not a well-formed preset name, so no preset can take its place.
   */
  public static final String PLACEHOLDER_ENTRY = "#placeholder";
  public static final String PLACEHOLDER_SPEC = "thumbhash";

  /**
   * The fingerprint of a preset set, or of the presets an image's variants were made with: the same
   * names with the same specs give the same fingerprint, in any order.
   */
  public static String fingerprint(java.util.Map<String, String> specByName) {
    StringBuilder text = new StringBuilder();
    new java.util.TreeMap<>(specByName).forEach((name, spec) -> text.append(name).append('=').append(spec).append('\n'));
    return sha256(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
  }

  private static MessageDigest digest() {
    return digest("SHA-256");
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }
}
