package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.imgedge.imaging.codec.WebpDecoder;

/**
 * WebP through libwebp, decoded straight to the smallest size the presets can use. The pure-Java
 * reader took minutes and a gigabyte on a 38-byte file that declares 14000x14000 pixels; libwebp
 * scales while it decodes, in a time that grows with the pixels and memory that grows with the output.
 */
final class WebpSource implements Source {

  private final WebpDecoder decoder;

  private WebpSource(WebpDecoder decoder) {
    this.decoder = decoder;
  }

  /**
   * @return a libwebp source, or the pure-Java reader for an animation (its first frame), which
   *     libwebp's still-image decoder does not take
   * @throws IOException when the file cannot be read (a server-side problem, not bad bytes)
   */
  static Source open(Path file) throws IOException {
    // The upload limit bounds the file; libwebp wants the whole bitstream in memory anyway.
    WebpDecoder decoder = WebpDecoder.open(Files.readAllBytes(file));
    if (decoder.animated()) {
      decoder.close();
      return ImageIoSource.open(file, ImageFormat.WEBP);
    }
    return new WebpSource(decoder);
  }

  @Override
  public Size storedSize() {
    return new Size(decoder.width(), decoder.height());
  }

  /**
   * The scaled output twice (libwebp's RGBA, then ours in RGB) plus, for a lossless picture, libwebp's
   * buffer of the whole picture at four bytes a pixel (lossless data may refer back to any earlier pixel);
   * a lossy one is decoded a few rows at a time.
   */
  @Override
  public long decodeBytes(Size min) {
    Size out = output(min);
    long scaled = out.pixels() * (4 + 3);
    return scaled + (decoder.lossless() ? (long) decoder.width() * decoder.height() * 4 : (long) decoder.width() * 64 * 4);
  }

  @Override
  public Raster decode(Size min, Cancellation cancellation) throws ImagingException {
    Size out = output(min);
    try {
      return new Raster.Rgb(decoder.decode(out.width(), out.height(), cancellation::cancelled));
    } catch (CancellationException e) {
      throw ImagingException.cancelled();
    }
  }

  /** The smallest size no smaller than min on either side, keeping the aspect ratio. */
  private Size output(Size min) {
    int width = decoder.width();
    int height = decoder.height();
    double scale = Math.min(1.0, Math.max((double) min.width() / width, (double) min.height() / height));
    return new Size(Math.max(1, (int) Math.ceil(width * scale)), Math.max(1, (int) Math.ceil(height * scale)));
  }

  @Override
  public void close() {
    decoder.close();
  }
}
