package org.imgedge.imaging;

import java.util.EnumSet;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.Chroma;

/**
 * A variant to produce: fit inside {@code box x box} pixels (never upscaled), encoded as JPEG at {@code quality},
 * and in each other format of {@code formats} from the same pixels.
 *
 * @param box         the longest side in pixels, at least 1
 * @param quality     JPEG quality 1..100
 * @param progressive whether the JPEG is progressive (with optimised Huffman tables) rather than baseline
 * @param formats     always holds JPEG
 * @param webpQuality libwebp's quality 1..100 when {@code formats} holds WebP
 * @param avifQuality libheif's AV1 quality 1..100 when {@code formats} holds AVIF
 * @param chroma      the JPEG's chroma subsampling
 */
public record Preset(String name, int box, int quality, boolean progressive, Set<VariantFormat> formats, int webpQuality,
    int avifQuality, Chroma chroma) {

  /** The JPEG-only baseline preset every variant was before other formats. */
  public Preset(String name, int box, int quality) {
    this(name, box, quality, false, Set.of(VariantFormat.JPEG), 0, 0);
  }

  /** A preset whose JPEG is 4:2:0, as every JPEG was before chroma could be chosen. */
  public Preset(String name, int box, int quality, boolean progressive, Set<VariantFormat> formats, int webpQuality,
      int avifQuality) {
    this(name, box, quality, progressive, formats, webpQuality, avifQuality, Chroma.SUBSAMPLED);
  }

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
    EnumSet<VariantFormat> all = EnumSet.of(VariantFormat.JPEG);
    all.addAll(formats);
    formats = Set.copyOf(all);
    if (formats.contains(VariantFormat.WEBP) && (webpQuality < 1 || webpQuality > 100)) {
      throw new IllegalArgumentException("preset " + name + ": webpQuality must be 1..100, not " + webpQuality);
    }
    if (formats.contains(VariantFormat.AVIF) && (avifQuality < 1 || avifQuality > 100)) {
      throw new IllegalArgumentException("preset " + name + ": avifQuality must be 1..100, not " + avifQuality);
    }
    if (chroma == null) {
      throw new IllegalArgumentException("preset " + name + ": chroma is 4:2:0 or 4:4:4");
    }
    webpQuality = formats.contains(VariantFormat.WEBP) ? webpQuality : 0;
    avifQuality = formats.contains(VariantFormat.AVIF) ? avifQuality : 0;
  }

  /** This preset without {@code format}: for a node that cannot encode it. */
  public Preset without(VariantFormat format) {
    EnumSet<VariantFormat> fewer = EnumSet.copyOf(formats);
    fewer.remove(format);
    return new Preset(name, box, quality, progressive, fewer, webpQuality, avifQuality, chroma);
  }

  /** This preset in JPEG alone: for a render whose files are not kept. */
  public Preset jpegOnly() {
    return new Preset(name, box, quality, progressive, EnumSet.of(VariantFormat.JPEG), webpQuality, avifQuality, chroma);
  }

  /** Its formats in a fixed order (JPEG first): for the presets table and the logs. */
  public String formatList() {
    return String.join(",", EnumSet.copyOf(formats).stream().map(VariantFormat::wire).toList());
  }

  /**
   * What the variant's bytes depend on besides the original, as each variant records it: a preset whose
   * spec changes has its variants made again.
   */
  public String spec() {
    // a JPEG-only baseline preset keeps the spec it had before formats existed, so its images stay current
    return "box=" + box + ",quality=" + quality + (progressive ? ",progressive" : "")
        + (chroma == Chroma.FULL ? ",chroma=4:4:4" : "")
        + (formats.contains(VariantFormat.WEBP) ? ",webp=" + webpQuality : "")
        + (formats.contains(VariantFormat.AVIF) ? ",avif=" + avifQuality : "");
  }

  /**
   * The spec of a variant of this preset that has the JPEG and only {@code made} of the other formats: what
   * an upload records while its AVIF is still to come, so the regeneration sees the image is not yet current.
   */
  public String specOf(Set<VariantFormat> made) {
    EnumSet<VariantFormat> have = EnumSet.of(VariantFormat.JPEG);
    have.addAll(made);
    have.retainAll(formats);
    return new Preset(name, box, quality, progressive, have, webpQuality, avifQuality, chroma).spec();
  }
}
