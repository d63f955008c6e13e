package org.imgedge.imaging;

import java.util.Map;
import org.imgedge.catalog.VariantFormat;

/**
 * One encoded variant: a JFIF JPEG with no metadata, already upright, and the same pixels in the preset's
 * other formats that this node could make.
 *
 * @param width  pixels, as displayed
 * @param height pixels, as displayed
 * @param others the file of each other format made, by format
 */
record EncodedVariant(Preset preset, int width, int height, byte[] jpeg, Map<VariantFormat, byte[]> others) {

  EncodedVariant {
    others = Map.copyOf(others);
  }
}
