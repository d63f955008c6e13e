package org.imgedge.imaging;

import java.io.IOException;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.Yuv420;

/**
 * A decoded picture in the layout its decoder gave: packed RGB (every format), or, for the usual YCbCr 4:2:0
 * JPEG on libjpeg-turbo, the planes as stored, which are resized, rotated and re-encoded without ever becoming
 * RGB. Both are not rotated until {@link #orient} is called.
 */
sealed interface Raster permits Raster.Rgb, Raster.Planes {

  int width();

  int height();

  /** Lanczos-3 to exactly {@code width x height}; returns this raster when the size is unchanged. */
  Raster resize(int width, int height);

  /** @param orientation EXIF 1..8 */
  Raster orient(int orientation);

  byte[] encode(JpegCodec codec, int quality) throws IOException;

  record Rgb(RgbImage image) implements Raster {

    @Override
    public int width() {
      return image.width();
    }

    @Override
    public int height() {
      return image.height();
    }

    @Override
    public Raster resize(int width, int height) {
      return new Rgb(Lanczos3Resampler.resize(image, width, height));
    }

    @Override
    public Raster orient(int orientation) {
      return new Rgb(Orient.apply(image, orientation));
    }

    @Override
    public byte[] encode(JpegCodec codec, int quality) throws IOException {
      return codec.encode(image, quality);
    }
  }

  /** Each plane is resampled on its own grid; chroma keeps JPEG's centred siting because both grids are scaled alike. */
  record Planes(Yuv420 image) implements Raster {

    @Override
    public int width() {
      return image.width();
    }

    @Override
    public int height() {
      return image.height();
    }

    @Override
    public Raster resize(int width, int height) {
      int w = image.width(), h = image.height();
      int cw = Yuv420.chromaWidth(w), ch = Yuv420.chromaHeight(h);
      int tw = Yuv420.chromaWidth(width), th = Yuv420.chromaHeight(height);
      return new Planes(new Yuv420(width, height,
          Lanczos3Resampler.resize(image.y(), w, h, 1, width, height),
          Lanczos3Resampler.resize(image.cb(), cw, ch, 1, tw, th),
          Lanczos3Resampler.resize(image.cr(), cw, ch, 1, tw, th)));
    }

    @Override
    public Raster orient(int orientation) {
      int o = Orient.normalise(orientation);
      if (o == 1) {
        return this;
      }
      int w = image.width(), h = image.height();
      int cw = Yuv420.chromaWidth(w), ch = Yuv420.chromaHeight(h);
      boolean swap = Orient.swapsAxes(o);
      return new Planes(new Yuv420(swap ? h : w, swap ? w : h,
          Orient.apply(image.y(), w, h, 1, o),
          Orient.apply(image.cb(), cw, ch, 1, o),
          Orient.apply(image.cr(), cw, ch, 1, o)));
    }

    @Override
    public byte[] encode(JpegCodec codec, int quality) throws IOException {
      return codec.encode(image, quality);
    }
  }
}
