package org.imgedge.catalog;

/** One stored JPEG variant, as recorded at upload. Its SHA-256 gives the ETag and the URL version. */
public record Variant(String preset, int width, int height, long bytes, String sha256) {

  /** Strong ETag: changes exactly when the bytes do. */
  public String etag() {
    return "\"" + sha256.substring(0, 32) + "\"";
  }

  /** The {@code ?v=} value of immutable URLs. */
  public String version() {
    return sha256.substring(0, 8);
  }
}
