package org.imgedge.imaging;

/**
 * A variant to produce: fit inside {@code box x box} pixels (never upscaled), encoded as JPEG at {@code quality}.
 *
 * @param box     the longest side in pixels, at least 1
 * @param quality JPEG quality 1..100
 */
public record Preset(String name, int box, int quality) {

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /** Lowercase letters, digits and '-', starting with a letter, at most 32: safe in URLs, blob keys and metrics. */
  public static boolean isWellFormedName(String name) {
    return NAME.matcher(name).matches();
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
