package org.imgedge.imaging;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.AvifEncoder;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpEncoder;

/**
 * The formats besides JPEG, encoded from the variant's own upright, colour-managed pixels (never from the
 * original), tagged with the same profile as the JPEG. A format this node cannot encode is left out: the
 * variant records the spec of what it has, so the regeneration makes the rest on a node that can.
 */
final class OtherFormats {

  private OtherFormats() {}

  /** Whether this node can encode {@code format}. */
  static boolean encodable(VariantFormat format) {
    return switch (format) {
      case JPEG -> true;
      case WEBP -> WebpEncoder.available();
      case AVIF -> AvifEncoder.available();
    };
  }

  /** Why this node cannot encode {@code format}, or null. */
  static Throwable unavailableBecause(VariantFormat format) {
    return switch (format) {
      case JPEG -> null;
      case WEBP -> WebpEncoder.unavailableBecause();
      case AVIF -> AvifEncoder.unavailableBecause();
    };
  }

  /** @return the file of each of the preset's formats other than JPEG that this node can encode */
  static Map<VariantFormat, byte[]> encode(Preset preset, Raster upright, ColorPlan color) throws IOException {
    Map<VariantFormat, byte[]> out = new EnumMap<>(VariantFormat.class);
    if (preset.formats().size() == 1) {
      return out;
    }
    RgbImage rgb = upright.toRgb();
    if (preset.formats().contains(VariantFormat.WEBP) && encodable(VariantFormat.WEBP)) {
      byte[] webp = WebpEncoder.encode(rgb, preset.webpQuality());
      out.put(VariantFormat.WEBP, color.profile() == null ? webp : WebpEncoder.withIcc(webp, rgb.width(), rgb.height(), color.profile()));
    }
    if (preset.formats().contains(VariantFormat.AVIF) && encodable(VariantFormat.AVIF)) {
      out.put(VariantFormat.AVIF, AvifEncoder.encode(rgb, preset.avifQuality(), color.profile()));
    }
    return out;
  }
}
