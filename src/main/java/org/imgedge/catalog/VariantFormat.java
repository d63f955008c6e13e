package org.imgedge.catalog;

import java.util.Optional;

/**
 * The encodings a variant is stored and served in. JPEG is every variant's own (every client decodes
 * it); the others are extra files of the same pixels, each with its own bytes, SHA-256, ETag and URL.
 *
 * @param wire      the name in configuration and in the Image JSON's {@code formats}
 * @param extension the URL's and the blob's file extension
 */
public enum VariantFormat {
  JPEG("jpeg", "jpg", "image/jpeg"),
  WEBP("webp", "webp", "image/webp"),
  AVIF("avif", "avif", "image/avif");

  private final String wire;
  private final String extension;
  private final String contentType;

  VariantFormat(String wire, String extension, String contentType) {
    this.wire = wire;
    this.extension = extension;
    this.contentType = contentType;
  }

  public String wire() {
    return wire;
  }

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * What names of a variant's file add to the preset's: nothing for JPEG, whose names (Redis keys, the scrub's
   * report) are those it had before there were other formats; else "." and the extension.
   */
  public String nameSuffix() {
    return this == JPEG ? "" : "." + extension;
  }

  public static Optional<VariantFormat> ofWire(String name) {
    for (VariantFormat f : values()) {
      if (f.wire.equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** A loop, not a map: every variant request asks. */
  public static VariantFormat ofExtension(String extension) {
    for (VariantFormat f : values()) {
      if (f.extension.equals(extension)) {
        return f;
      }
    }
    return null;
  }
}
