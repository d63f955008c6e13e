package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;

/** A LittleCMS transform from one RGB profile's numbers to sRGB's, for one upload's variants. */
public final class ColorTransform implements AutoCloseable {

  private final Pointer transform;

  ColorTransform(Pointer transform) {
    this.transform = transform;
  }

  /** @return a new image, in sRGB */
  public RgbImage apply(RgbImage image) {
    RgbImage out = RgbImage.allocate(image.width(), image.height());
    LcmsLibrary.cmsDoTransform(transform, image.rgb(), out.rgb(), image.width() * image.height());
    return out;
  }

  @Override
  public void close() {
    LcmsLibrary.cmsDeleteTransform(transform);
  }
}
