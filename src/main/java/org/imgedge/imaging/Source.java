package org.imgedge.imaging;

import java.io.IOException;
import java.util.Optional;

/** An opened original: its header is read first, so the size can be refused before pixels are allocated. */
interface Source extends AutoCloseable {

  /** @return dimensions as stored (before EXIF orientation), from the header only */
  Size storedSize() throws IOException;

  /**
   * Refuses, before any decoding, files whose structure would make decoding unreasonably slow for their
   * size. Called after {@link #storedSize()}.
   */
  default void checkDecodeCost() throws ImagingException {}

  /**
   * An upper bound of the memory, on the heap and off it, that {@link #decode} will hold at its peak: what
   * admission weighs uploads by. Called after {@link #storedSize()}, from the header alone.
   *
   * @param min as {@link #decode} would be given
   */
  long decodeBytes(Size min) throws IOException;

  /**
   * @param min          the decoder may shrink (cheaply, in the DCT) but not below this, per dimension
   * @param cancellation checked as the decode goes, where the decoder allows it
   * @return the decoded raster, as stored (not rotated)
   * @throws ImagingException of kind CANCELLED when it stopped part-way
   */
  Raster decode(Size min, Cancellation cancellation) throws IOException, ImagingException;

  /**
   * The ICC profile the decoder read with the header, for a format whose profile only the decoder can read (HEIF);
   * empty for the others, whose container {@link EmbeddedIcc} reads.
   */
  default Optional<byte[]> iccProfile() {
    return Optional.empty();
  }

  /** Whether the decoder itself reads the pixels through the embedded profile into sRGB (ImageIO's JPEG reader). */
  default boolean appliesEmbeddedProfile() {
    return false;
  }

  @Override
  void close();
}
