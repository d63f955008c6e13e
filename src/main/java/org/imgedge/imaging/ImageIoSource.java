package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.imgedge.imaging.codec.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PNG, GIF (first frame) and WebP through ImageIO, read straight from the file. */
final class ImageIoSource implements Source {

  private static final Logger log = LoggerFactory.getLogger(ImageIoSource.class);

  private final ImageInputStream in;
  private final ImageReader reader;

  private ImageIoSource(ImageInputStream in, ImageReader reader) {
    this.in = in;
    this.reader = reader;
  }

  /** @throws IOException when the file cannot be opened (a server-side problem, not bad bytes) */
  static ImageIoSource open(Path file, ImageFormat format) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    ImageInputStream in = new FileImageInputStream(file.toFile());
    // Metadata is ExifReader's job; skipping it here saves parsing (and trusting) text chunks twice.
    reader.setInput(in, true, true);
    reader.addIIOReadWarningListener((source, warning) -> log.debug("{} reader warning: {}", format, warning));
    return new ImageIoSource(in, reader);
  }

  @Override
  public Size storedSize() throws IOException {
    return new Size(reader.getWidth(0), reader.getHeight(0));
  }

  @Override
  public Raster decode(Size min) throws IOException {
    return new Raster.Rgb(RgbImage.fromAwt(reader.read(0)));
  }

  @Override
  public void close() {
    reader.dispose();
    try {
      in.close();
    } catch (IOException e) {
      log.debug("closing the image stream failed", e);
    }
  }
}
