package org.imgedge.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/** An {@code Upload-Checksum} header (tus checksum extension): an algorithm and the base64 digest of the PATCH body. */
public record Checksum(String algorithm, byte[] expected) {

  /** tus names, as advertised in {@code Tus-Checksum-Algorithm}, with their JDK names. */
  private static final Map<String, String> ALGORITHMS = Map.of("sha256", "SHA-256", "sha1", "SHA-1", "md5", "MD5");
  public static final String ADVERTISED = String.join(",", List.of("sha256", "sha1", "md5"));

  /** @return null when there is no header; 400 for an unknown algorithm or a malformed value */
  public static Checksum parse(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.trim().split(" ", 2);
    if (parts.length != 2 || !ALGORITHMS.containsKey(parts[0])) {
      throw AppException.of(ProblemType.BAD_REQUEST, "Upload-Checksum must be '<algorithm> <base64 digest>', with one of "
          + ADVERTISED + ".");
    }
    try {
      return new Checksum(parts[0], Base64.getDecoder().decode(parts[1].trim()));
    } catch (IllegalArgumentException e) {
      throw AppException.of(ProblemType.BAD_REQUEST, "The digest in Upload-Checksum is not base64.");
    }
  }

  MessageDigest digest() {
    try {
      return MessageDigest.getInstance(ALGORITHMS.get(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean matches(byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
