package org.imgedge.imaging;

/**
 * A variant to produce: fit inside {@code box x box} pixels (never upscaled), encoded as JPEG at {@code quality}.
 *
 * @param box     the longest side in pixels, at least 1
 * @param quality JPEG quality 1..100
 */
public record Preset(String name, int box, int quality) {

  /**
   * Lowercase letters, digits and '-', starting with a letter, at most 32: safe in URLs, blob keys and
   * metrics. A loop rather than a regex: every variant request, cached hits included, asks.
   */
  public static boolean isWellFormedName(String name) {
    if (name.isEmpty() || name.length() > 32 || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public Preset {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("preset needs a name");
    }
    if (box < 1) {
      throw new IllegalArgumentException("preset " + name + ": box must be at least 1, not " + box);
    }
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("preset " + name + ": quality must be 1..100, not " + quality);
    }
  }

  /**
   * What the variant's bytes depend on besides the original, as each variant records it: a preset whose
   * spec changes has its variants made again.
   */
  public String spec() {
    return "box=" + box + ",quality=" + quality;
  }
}
