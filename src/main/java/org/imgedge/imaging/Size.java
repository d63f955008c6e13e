package org.imgedge.imaging;

/** Pixel dimensions, and the arithmetic of fitting them into a preset's box. */
record Size(int width, int height) {

  long pixels() {
    return (long) width * height;
  }

  Size transposed() {
    return new Size(height, width);
  }

  /**
   * Scales down to fit inside {@code box x box}, keeping the aspect ratio: the long side becomes the box and the
   * short side is rounded (at least 1 px). Never upscales: an image already inside the box keeps its size.
   */
  Size fitInside(int box) {
    if (width <= box && height <= box) {
      return this;
    }
    if (width >= height) {
      return new Size(box, (int) Math.max(1, Math.round((double) height * box / width)));
    }
    return new Size((int) Math.max(1, Math.round((double) width * box / height)), box);
  }

  /** Whether this raster is big enough to be a good resampling source for {@code target} (2x each way). */
  boolean coversTwice(Size target) {
    return width >= 2L * target.width && height >= 2L * target.height;
  }
}
