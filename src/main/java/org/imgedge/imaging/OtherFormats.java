package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.AvifEncoder;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The formats besides JPEG, encoded from the variant's own upright, colour-managed pixels (never from the
 * original), tagged with the same profile as the JPEG. A format this node cannot encode, or whose encode
 * fails, is left out: the variant records the spec of what it has, so the regeneration makes the rest
 * later, on a node that can. The JPEG alone is what an upload cannot do without.
 */
final class OtherFormats {

  private static final Logger log = LoggerFactory.getLogger(OtherFormats.class);
  /** Each kind of failure (format and exception class) is logged once: a broken encoder fails every image. */
  private static final Set<String> logged = ConcurrentHashMap.newKeySet();

  private OtherFormats() {}

  /**
   * @param scratch where an encoder that writes through a file writes it (the job's folder in the store's
   *     staging area); null for the temporary directory
   * @return the file of each of the preset's formats other than JPEG that this node could encode
   */
  static Map<VariantFormat, byte[]> encode(Preset preset, Raster upright, ColorPlan color, Path scratch) {
    Map<VariantFormat, byte[]> out = new EnumMap<>(VariantFormat.class);
    if (preset.formats().size() == 1) {
      return out;
    }
    RgbImage rgb = upright.toRgb();
    for (VariantFormat f : preset.formats()) {
      if (f == VariantFormat.JPEG || !EncodableFormats.encodable(f)) {
        continue;
      }
      try {
        out.put(f, encode(f, preset, rgb, color.profile(), scratch));
      } catch (Exception e) {
        if (logged.add(f + " " + e.getClass().getName())) {
          log.warn("{} variants: an encode failed, the variants are made without this format until it works (the"
              + " regeneration tries again); first failure of this kind: {}", f.wire(), e.toString());
        }
      }
    }
    return out;
  }

  private static byte[] encode(VariantFormat f, Preset preset, RgbImage rgb, byte[] icc, Path scratch) throws Exception {
    return switch (f) {
      case JPEG -> throw new IllegalArgumentException("JPEG is encoded with the variant");
      case WEBP -> {
        byte[] webp = WebpEncoder.encode(rgb, preset.webpQuality());
        yield icc == null ? webp : WebpEncoder.withIcc(webp, rgb.width(), rgb.height(), icc);
      }
      case AVIF -> AvifEncoder.encode(rgb, preset.avifQuality(), icc, scratch);
    };
  }
}
