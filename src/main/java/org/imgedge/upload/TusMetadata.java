package org.imgedge.upload;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.imgedge.problem.AppException;
import org.imgedge.problem.ProblemType;

/** {@code Upload-Metadata}: comma-separated {@code key base64(value)} pairs (the value may be absent). */
public final class TusMetadata {

  /** Longer names are not file names; the cap keeps a client from storing arbitrary text in the row. */
  private static final int MAX_VALUE = 1024;

  private TusMetadata() {}

  /** @return the pairs, empty for no header; 400 when a value is not base64 or has a control character, or a key repeats */
  public static Map<String, String> parse(String header) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return pairs;
    }
    for (String pair : header.split(",")) {
      String[] kv = pair.trim().split(" ", 2);
      if (kv[0].isEmpty() || pairs.containsKey(kv[0])) {
        throw bad("a key is empty or repeated");
      }
      String value;
      try {
        value = kv.length == 2 ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8) : "";
      } catch (IllegalArgumentException e) {
        throw bad("the value of '" + kv[0] + "' is not base64");
      }
      if (value.chars().anyMatch(Character::isISOControl)) {
        // a control character is no part of a file name or type, and PostgreSQL's TEXT refuses U+0000
        throw bad("the value of '" + kv[0] + "' contains a control character");
      }
      if (value.length() > MAX_VALUE) {
        throw bad("the value of '" + kv[0] + "' is longer than " + MAX_VALUE + " characters");
      }
      pairs.put(kv[0], value);
    }
    return pairs;
  }

  /** The header for the recorded {@code filename} and {@code filetype}, null when neither was sent. */
  public static String format(String filename, String filetype) {
    StringBuilder out = new StringBuilder();
    append(out, "filename", filename);
    append(out, "filetype", filetype);
    return out.isEmpty() ? null : out.toString();
  }

  private static void append(StringBuilder out, String key, String value) {
    if (value != null) {
      out.append(out.isEmpty() ? "" : ",").append(key).append(' ')
          .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static AppException bad(String why) {
    return AppException.of(ProblemType.BAD_REQUEST, "Upload-Metadata is malformed: " + why + ".");
  }
}
