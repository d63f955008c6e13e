package org.imgedge.imaging;

import java.io.IOException;
import java.util.Optional;
import org.imgedge.imaging.codec.Chroma;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.YCbCr;

/**
 * A decoded picture in the layout its decoder gave: packed RGB (every format), or, for a YCbCr JPEG (every photo)
 * on libjpeg-turbo, the planes as stored, which are resized, rotated and re-encoded without ever becoming
 * RGB. Both are not rotated until {@link #orient} is called.
 */
sealed interface Raster permits Raster.Rgb, Raster.Planes {

  int width();

  int height();

  /**
   * Lanczos-3 to exactly {@code width x height}, planes with their chroma at {@code chroma}'s size; returns this
   * raster when nothing would change.
   */
  Raster resize(int width, int height, Chroma chroma);

  /** @param orientation EXIF 1..8 */
  Raster orient(int orientation);

  /** The JPEG of {@code preset}: its quality, progressive or not, and its chroma. */
  byte[] encode(JpegCodec codec, Preset preset) throws IOException;

  /** The pixels as packed RGB: for a colour conversion. */
  RgbImage toRgb();

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
    public Raster resize(int width, int height, Chroma chroma) {
      return new Rgb(Lanczos3Resampler.resize(image, width, height));
    }

    @Override
    public Raster orient(int orientation) {
      return new Rgb(Orient.apply(image, orientation));
    }

    @Override
    public byte[] encode(JpegCodec codec, Preset preset) throws IOException {
      return codec.encode(image, preset.quality(), preset.progressive(), preset.chroma());
    }

    @Override
    public RgbImage toRgb() {
      return image;
    }
  }

  /**
   * Each plane is resampled on its own grid, mapping the same picture area to the same area, so chroma keeps
   * JPEG's centred siting.
   */
  record Planes(YCbCr image) implements Raster {

    @Override
    public int width() {
      return image.width();
    }

    @Override
    public int height() {
      return image.height();
    }

    /** Chroma lands on the grid {@code chroma} asks for, whatever subsampling it came with: that is what we encode. */
    @Override
    public Raster resize(int width, int height, Chroma chroma) {
      int tw = YCbCr.chromaSize(chroma, width), th = YCbCr.chromaSize(chroma, height);
      if (width == image.width() && height == image.height() && image.chroma().equals(Optional.of(chroma))) {
        return this;
      }
      return new Planes(YCbCr.of(chroma, width, height,
          Lanczos3Resampler.resize(image.y(), image.width(), image.height(), 1, width, height),
          Lanczos3Resampler.resize(image.cb(), image.chromaWidth(), image.chromaHeight(), 1, tw, th),
          Lanczos3Resampler.resize(image.cr(), image.chromaWidth(), image.chromaHeight(), 1, tw, th)));
    }

    @Override
    public Raster orient(int orientation) {
      int o = Orient.normalise(orientation);
      if (o == 1) {
        return this;
      }
      int w = image.width(), h = image.height();
      int cw = image.chromaWidth(), ch = image.chromaHeight();
      boolean swap = Orient.swapsAxes(o);
      return new Planes(new YCbCr(swap ? h : w, swap ? w : h,
          Orient.apply(image.y(), w, h, 1, o), swap ? ch : cw, swap ? cw : ch,
          Orient.apply(image.cb(), cw, ch, 1, o),
          Orient.apply(image.cr(), cw, ch, 1, o)));
    }

    /** In the planes' own layout, which {@link #resize} gave the preset's chroma. */
    @Override
    public byte[] encode(JpegCodec codec, Preset preset) throws IOException {
      return codec.encode(image, preset.quality(), preset.progressive());
    }

    @Override
    public RgbImage toRgb() {
      return image.toRgb();
    }
  }
}
