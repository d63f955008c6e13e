package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgedge.imaging.codec.HeifDecoder;

/**
 * HEIC and AVIF through libheif. Its size comes from the header ({@code ispe}, with rotations applied),
 * so the pixel limit is checked before anything is decoded. libheif cannot shrink while it decodes: the
 * whole picture is decoded, upright, and the resampler takes it down to each preset.
 */
final class HeifSource implements Source {

  private final HeifDecoder decoder;

  private HeifSource(HeifDecoder decoder) {
    this.decoder = decoder;
  }

  /** @throws IOException when the file cannot be read (a server-side problem, not bad bytes) */
  static HeifSource open(Path file) throws IOException {
    // The upload limit bounds the file; libheif wants the whole container in memory anyway.
    return new HeifSource(HeifDecoder.open(Files.readAllBytes(file)));
  }

  @Override
  public Size storedSize() {
    return new Size(decoder.width(), decoder.height());
  }

  /**
   * libheif's RGBA picture and ours in RGB, plus the coded tiles' YCbCr planes that it converts from (1.5
   * bytes a pixel for 4:2:0, 3 at most).
   */
  @Override
  public long decodeBytes(Size min) {
    long pixels = (long) decoder.width() * decoder.height();
    return pixels * (4 + 3 + 3);
  }

  @Override
  public Raster decode(Size min, Cancellation cancellation) {
    return new Raster.Rgb(decoder.decode());
  }

  @Override
  public void close() {
    decoder.close();
  }
}
