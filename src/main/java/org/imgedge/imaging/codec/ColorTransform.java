package org.imgedge.imaging.codec;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A LittleCMS transform from one RGB profile's numbers to sRGB's. It is made without LittleCMS's one-pixel cache,
 * so any number of threads may apply it at once, and it is kept for every upload with the same profile: its native
 * memory is freed once no one can reach it, since a job may still be using a transform the cache has let go.
 */
public final class ColorTransform {

  private static final Cleaner CLEANER = Cleaner.create();

  private final Pointer transform;

  ColorTransform(Pointer transform) {
    this.transform = transform;
    CLEANER.register(this, () -> LcmsLibrary.cmsDeleteTransform(transform));
  }

  /** @return a new image, in sRGB */
  public RgbImage apply(RgbImage image) {
    RgbImage out = RgbImage.allocate(image.width(), image.height());
    LcmsLibrary.cmsDoTransform(transform, image.rgb(), out.rgb(), image.width() * image.height());
    Reference.reachabilityFence(this); // not freed by the cleaner while LittleCMS still reads it
    return out;
  }
}
