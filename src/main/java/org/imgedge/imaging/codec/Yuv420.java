package org.imgedge.imaging.codec;

/**
 * A picture as JPEG stores it: full-resolution luma plus Cb and Cr at half resolution both ways (4:2:0), 8 bits
 * per sample, rows top to bottom with no padding. Chroma planes are {@code ceil(width / 2) x ceil(height / 2)},
 * each sample centred on its 2x2 block of luma, as JPEG places it.
 *
 * <p>Phone photos arrive like this, and resizing the planes as they are does half the work of resizing RGB
 * (1.5 samples per pixel instead of 3) while skipping two colour conversions and a chroma upsampling.
 */
public record Yuv420(int width, int height, byte[] y, byte[] cb, byte[] cr) {

  public Yuv420 {
    long chroma = (long) chromaWidth(width) * chromaHeight(height);
    if (width < 1 || height < 1 || y.length != (long) width * height || cb.length != chroma || cr.length != chroma) {
      throw new IllegalArgumentException("planes do not make a " + width + "x" + height + " 4:2:0 image");
    }
  }

  public static int chromaWidth(int width) {
    return (width + 1) / 2;
  }

  public static int chromaHeight(int height) {
    return (height + 1) / 2;
  }
}
