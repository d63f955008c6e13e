package org.imgedge.imaging;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.imgedge.imaging.codec.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PNG, GIF (first frame) and WebP through ImageIO, read straight from the file. */
final class ImageIoSource implements Source {

  private static final Logger log = LoggerFactory.getLogger(ImageIoSource.class);

  /** The file itself: closing the image stream over it does not close it. */
  private final InputStream file;
  private final ImageInputStream in;
  private final ImageReader reader;
  private final ImageFormat format;

  private ImageIoSource(InputStream file, ImageInputStream in, ImageReader reader, ImageFormat format) {
    this.file = file;
    this.in = in;
    this.reader = reader;
    this.format = format;
  }

  /** @throws IOException when the file cannot be opened (a server-side problem, not bad bytes) */
  static ImageIoSource open(Path file, ImageFormat format) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    // Buffered: the readers pull a byte or a few at a time, and a bare file stream makes each pull a
    // system call (a 38-byte lossless WebP of 14000x14000 took minutes that way)
    InputStream bytes = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    ImageInputStream in = new MemoryCacheImageInputStream(bytes);
    // Metadata is ExifReader's job; skipping it here saves parsing (and trusting) text chunks twice.
    reader.setInput(in, true, true);
    reader.addIIOReadWarningListener((source, warning) -> log.debug("{} reader warning: {}", format, warning));
    return new ImageIoSource(bytes, in, reader, format);
  }

  @Override
  public Size storedSize() throws IOException {
    return new Size(reader.getWidth(0), reader.getHeight(0));
  }

  /**
   * The subsampled image (four bytes a pixel at most) and a few rows at full width (eight bytes a pixel
   * for 16-bit RGBA). The pure-Java WebP reader, used only for animations, holds the whole frame, twice.
   */
  @Override
  public long decodeBytes(Size min) throws IOException {
    long w = reader.getWidth(0);
    long h = reader.getHeight(0);
    int step = step(min);
    long output = (w / step + 1) * (h / step + 1) * 4 + w * 8 * 4;
    return output + (format == ImageFormat.WEBP ? w * h * 4 * 2 : 0);
  }

  /**
   * Shrinks on load: the reader keeps every n-th pixel of every n-th row as it decodes row by row, so a
   * 14000x14000 PNG never exists in memory at full size. n is the largest that still leaves at least
   * {@code min}, which the Lanczos resampler then takes down to each preset.
   */
  @Override
  public Raster decode(Size min, Cancellation cancellation) throws IOException, ImagingException {
    int step = step(min);
    ImageReadParam param = reader.getDefaultReadParam();
    param.setSourceSubsampling(step, step, 0, 0);
    // The readers report progress as they go and stop at the next row once abort() is called.
    reader.addIIOReadProgressListener(new IIOReadProgressAdapter() {
      @Override
      public void imageProgress(ImageReader source, float percentageDone) {
        if (cancellation.cancelled()) {
          source.abort();
        }
      }
    });
    BufferedImage image = reader.read(0, param);
    cancellation.check(); // an aborted read returns what it had
    return new Raster.Rgb(RgbImage.fromAwt(image));
  }

  /** Keep every n-th pixel of every n-th row: the largest n that still leaves at least {@code min}. */
  private int step(Size min) throws IOException {
    return Math.max(1, Math.min(reader.getWidth(0) / Math.max(1, min.width()), reader.getHeight(0) / Math.max(1, min.height())));
  }

  /** Only the progress callback is of use here. */
  private abstract static class IIOReadProgressAdapter implements IIOReadProgressListener {
    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {}

    @Override
    public void sequenceComplete(ImageReader source) {}

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {}

    @Override
    public void imageComplete(ImageReader source) {}

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {}

    @Override
    public void thumbnailComplete(ImageReader source) {}

    @Override
    public void readAborted(ImageReader source) {}
  }

  @Override
  public void close() {
    reader.dispose();
    // the image stream does not close the file: without this its descriptor, and the disk space of a
    // staged file deleted after the upload, would stay until a collection
    try (file) {
      in.close();
    } catch (IOException e) {
      log.debug("closing the image stream failed", e);
    }
  }
}
