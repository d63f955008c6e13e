package org.imgedge.imaging;

/**
 * A variant to produce: fit inside {@code box x box} pixels (never upscaled), encoded as JPEG at {@code quality}.
 *
 * @param box     the longest side in pixels, at least 1
 * @param quality JPEG quality 1..100
 */
public record Preset(String name, int box, int quality) {

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
}
