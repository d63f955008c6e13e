package org.imgedge.imaging;

import java.util.List;
import org.imgedge.metadata.ImageMetadata;

/**
 * What {@link VariantPipeline#render} made of an original.
 *
 * @param width    original width as displayed, i.e. after EXIF orientation
 * @param height   original height as displayed
 * @param variants one per requested preset, in the order requested
 * @param thumbHash the placeholder, made from the small variant's pixels (see {@link Placeholder})
 */
public record Rendered(ImageFormat format, int width, int height, ImageMetadata metadata,
    List<EncodedVariant> variants, byte[] thumbHash) {

  public Rendered {
    variants = List.copyOf(variants);
  }
}
