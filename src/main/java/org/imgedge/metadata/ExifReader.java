package org.imgedge.metadata;

import java.nio.file.Path;

/** Reads {@link ImageMetadata} with metadata-extractor, through the reader of the format the bytes were sniffed as. */
public final class ExifReader {

  private ExifReader() {}

  /**
   * @param mimeType the sniffed format: image/jpeg, image/png, image/webp or image/gif
   * @return the metadata found; {@link ImageMetadata#NONE} when the file has none or the reader fails (never throws)
   */
  public static ImageMetadata read(Path file, String mimeType) {
    return ImageMetadata.NONE; // TODO implemented in the metadata feature
  }
}
