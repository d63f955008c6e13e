package org.imgedge.metadata;

import com.drew.imaging.gif.GifMetadataReader;
import com.drew.imaging.heif.HeifMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Metadata;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link ImageMetadata} with metadata-extractor, through the reader of the format the bytes were sniffed as.
 *
 * <p>The auto-detecting {@code ImageMetadataReader} is deliberately not used: it would hand untrusted
 * bytes to whichever of its many parsers the header suggests (HEIF, RIFF, TIFF...), which is where
 * the fuzzed crashes live. We only ever parse the one format the service already decided it accepts.
 */
public final class ExifReader {

  private static final Logger log = LoggerFactory.getLogger(ExifReader.class);

  private ExifReader() {}

  /**
   * @param mimeType the sniffed format: image/jpeg, image/png, image/webp, image/gif, image/heic or image/avif
   * @return the metadata found; {@link ImageMetadata#NONE} when the file has none or the reader fails (never throws)
   */
  public static ImageMetadata read(Path file, String mimeType) {
    Metadata metadata = new Metadata();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      metadata = parse(in, mimeType, metadata);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      // Malformed metadata must not fail an upload; the JPEG path keeps what it read before the error.
      log.debug("metadata of {} ({}) not fully readable: {}", file.getFileName(), mimeType, t.toString());
    }
    try {
      return metadata == null ? ImageMetadata.NONE : ExifMapping.toImageMetadata(metadata);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      log.debug("metadata of {} ({}) not mappable: {}", file.getFileName(), mimeType, t.toString());
      return ImageMetadata.NONE;
    }
  }

  /** @return the metadata found, or {@code null} for a format we do not read metadata from */
  private static Metadata parse(InputStream in, String mimeType, Metadata into) throws Exception {
    if (mimeType == null) {
      return null;
    }
    switch (mimeType) {
      case "image/jpeg":
        // Only the EXIF segment reader: the other segment parsers (ICC, XMP, Photoshop...) would add
        // attack surface and time for data we never return. process() fills `into` as it goes,
        // so a segment that breaks late leaves the earlier ones readable.
        JpegMetadataReader.process(into, in, List.of(new com.drew.metadata.exif.ExifReader()));
        return into;
      case "image/png":
        return PngMetadataReader.readMetadata(in);
      case "image/webp":
        return WebpMetadataReader.readMetadata(in);
      case "image/gif":
        return GifMetadataReader.readMetadata(in);
      case "image/heic", "image/avif":
        return HeifMetadataReader.readMetadata(in);
      default:
        return null;
    }
  }

  /**
   * Stack and heap exhaustion are what crafted segments cause (deep IFD chains, huge declared counts)
   * and are survivable once the parse is abandoned; other VM errors mean the JVM itself is broken.
   */
  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError) && !(t instanceof OutOfMemoryError)) {
      throw (VirtualMachineError) t;
    }
  }
}
