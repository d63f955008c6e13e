package org.imgedge.imaging.codec;

import java.util.Optional;

/**
 * A picture as JPEG stores it: full-resolution luma (Y) plus two chroma planes (Cb, Cr), 8 bits per sample, rows
 * top to bottom with no padding. Chroma is usually subsampled: {@code ceil(width / 2) x ceil(height / 2)} for
 * 4:2:0; 4:4:4 planes are all the picture's size. We encode those two; other layouts (4:2:2, 4:4:0...) come out of
 * the decoder and are resized to one of them.
 *
 * <p>Phone photos arrive like this, and resizing the planes as they are does half the work of resizing RGB
 * (1.5 samples per pixel instead of 3) while skipping chroma upsampling and two colour conversions.
 */
public record YCbCr(int width, int height, byte[] y, int chromaWidth, int chromaHeight, byte[] cb, byte[] cr) {

  public YCbCr {
    long chroma = (long) chromaWidth * chromaHeight;
    if (width < 1 || height < 1 || chromaWidth < 1 || chromaHeight < 1 || y.length != (long) width * height
        || cb.length != chroma || cr.length != chroma) {
      throw new IllegalArgumentException("planes do not make a " + width + "x" + height + " YCbCr image");
    }
  }

  /** Planes whose chroma is {@code chroma}'s size for {@code width x height}. */
  public static YCbCr of(Chroma chroma, int width, int height, byte[] y, byte[] cb, byte[] cr) {
    return new YCbCr(width, height, y, chromaSize(chroma, width), chromaSize(chroma, height), cb, cr);
  }

  /** A chroma plane's side for a picture side of {@code size}. */
  public static int chromaSize(Chroma chroma, int size) {
    return chroma == Chroma.SUBSAMPLED ? half(size) : size;
  }

  /** The layout of these planes, if it is one the encoder takes (4:2:0 or 4:4:4). */
  public Optional<Chroma> chroma() {
    for (Chroma c : Chroma.values()) {
      if (chromaWidth == chromaSize(c, width) && chromaHeight == chromaSize(c, height)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static int half(int size) {
    return (size + 1) / 2;
  }

  /**
   * JFIF's conversion to RGB, each chroma sample spread over the pixels it covers: for a variant whose colours must
   * be converted, a few hundred thousand pixels that are encoded to 4:2:0 again right after. Fixed point, 16
   * fractional bits, each chroma term from a table.
   */
  public RgbImage toRgb() {
    RgbImage out = RgbImage.allocate(width, height);
    byte[] rgb = out.rgb();
    int[] chromaColumn = new int[width];
    for (int col = 0; col < width; col++) {
      chromaColumn[col] = (int) ((long) col * chromaWidth / width);
    }
    for (int row = 0, o = 0; row < height; row++) {
      int chromaRow = (int) ((long) row * chromaHeight / height) * chromaWidth;
      for (int col = 0; col < width; col++) {
        int c = chromaRow + chromaColumn[col];
        int luma = (y[row * width + col] & 0xFF) << 16;
        int blue = cb[c] & 0xFF;
        int red = cr[c] & 0xFF;
        rgb[o++] = clamp(luma + Tables.RED_FROM_CR[red]);
        rgb[o++] = clamp(luma + Tables.GREEN_FROM_CB[blue] + Tables.GREEN_FROM_CR[red]);
        rgb[o++] = clamp(luma + Tables.BLUE_FROM_CB[blue]);
      }
    }
    return out;
  }

  /** A 16.16 fixed-point value, rounded, to a sample 0..255. */
  private static byte clamp(int fixed) {
    int v = (fixed + (1 << 15)) >> 16;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** JFIF's coefficients times each chroma sample less 128, in 16.16 fixed point. */
  static final class Tables {
    static final int[] RED_FROM_CR = table(1.402);
    static final int[] GREEN_FROM_CB = table(-0.344136);
    static final int[] GREEN_FROM_CR = table(-0.714136);
    static final int[] BLUE_FROM_CB = table(1.772);

    private static int[] table(double coefficient) {
      int[] t = new int[256];
      for (int i = 0; i < 256; i++) {
        t[i] = (int) Math.round(coefficient * (i - 128) * 65536);
      }
      return t;
    }
  }
}
