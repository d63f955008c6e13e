package org.imgedge.imaging.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Decodes and encodes JPEG: libjpeg-turbo through JNA when the native library is present, ImageIO otherwise.
 *
 * <p>Implementations are thread-safe; each call uses its own native handles or readers.
 */
public interface JpegCodec {

  /**
   * @return libjpeg-turbo when {@code libturbojpeg.so.0} loads, else ImageIO; the choice (and the reason for
   *     falling back) is logged once
   */
  static JpegCodec best() {
    return BestCodec.INSTANCE;
  }

  /**
   * @return the libjpeg-turbo codec
   * @throws IllegalStateException when the native library cannot be loaded
   */
  static JpegCodec turbo() {
    return TurboJpegCodec.create();
  }

  /** @return the pure-Java codec: the TwelveMonkeys reader (CMYK/YCCK and ICC aware) and the JDK writer */
  static JpegCodec imageIo() {
    return ImageIoJpegCodec.INSTANCE;
  }

  /** @return "libjpeg-turbo" or "imageio" */
  String name();

  /**
   * Whether {@link #decode} already reads the numbers through the file's embedded ICC profile into sRGB
   * (TwelveMonkeys' reader does), so they must not be converted again.
   */
  default boolean appliesEmbeddedProfile() {
    return false;
  }

  /**
   * Decodes to RGB. The codec may return a smaller image than the original (libjpeg-turbo scales in the DCT
   * for almost nothing) but never smaller than {@code minWidth x minHeight}, unless the original is smaller.
   * Grey and CMYK/YCCK sources come back as RGB.
   *
   * @return the decoded raster, not rotated: EXIF orientation is the caller's business
   * @throws IOException when the data is truncated or corrupt; warnings count as corruption, so a cut-off
   *     file never comes back as a partly grey picture
   */
  RgbImage decode(byte[] jpeg, int minWidth, int minHeight) throws IOException;

  /**
   * The same as {@link #decode(byte[], int, int)}, for the bytes from index 0 to the buffer's limit. A direct
   * buffer (such as a memory-mapped file) reaches libjpeg-turbo without being copied, so a 100 MB original costs
   * no heap; by default (ImageIO) the bytes are copied to an array, as its reader would buffer them anyway.
   *
   * @return the decoded raster, not rotated
   * @throws IOException as for the array form
   */
  default RgbImage decode(ByteBuffer jpeg, int minWidth, int minHeight) throws IOException {
    byte[] bytes = new byte[jpeg.limit()];
    jpeg.get(0, bytes);
    return decode(bytes, minWidth, minHeight);
  }

  /**
   * Decodes to Y, Cb and Cr planes when the JPEG stores YCbCr (every camera and phone photo) and this codec can
   * hand planes over; scaling follows the same rule as {@link #decode(ByteBuffer, int, int)}.
   *
   * @return the planes, chroma at the file's own subsampling, not rotated; empty for grey, CMYK/YCCK and RGB
   *     JPEGs and for codecs without planes, which then go through {@link #decode(ByteBuffer, int, int)}
   * @throws IOException as for {@link #decode(byte[], int, int)}
   */
  default Optional<YCbCr> decodeYCbCr(ByteBuffer jpeg, int minWidth, int minHeight) throws IOException {
    return Optional.empty();
  }

  /**
   * Encodes 4:2:0 or 4:4:4 planes ({@link YCbCr#chroma()}) as they are, like {@link #encode(RgbImage, int)} but with
   * no colour conversion.
   *
   * @throws UnsupportedOperationException from codecs whose {@link #decodeYCbCr} never yields planes
   * @throws IOException when the encoder fails
   */
  default byte[] encode(YCbCr image, int quality) throws IOException {
    throw new UnsupportedOperationException(name() + " does not encode planes");
  }

  /**
   * Encodes a JFIF JPEG with no EXIF, XMP, IPTC or thumbnail.
   *
   * @param quality     1..100
   * @param progressive progressive with optimised Huffman tables when the codec can; ImageIO's writer makes
   *                    baseline always
   * @return the JPEG file bytes
   * @throws IOException when the encoder fails
   */
  byte[] encode(RgbImage image, int quality, boolean progressive, Chroma chroma) throws IOException;

  /** A baseline 4:2:0 JPEG. */
  default byte[] encode(RgbImage image, int quality) throws IOException {
    return encode(image, quality, false, Chroma.SUBSAMPLED);
  }

  /** A 4:2:0 JPEG, progressive when asked. */
  default byte[] encode(RgbImage image, int quality, boolean progressive) throws IOException {
    return encode(image, quality, progressive, Chroma.SUBSAMPLED);
  }

  /** {@link #encode(YCbCr, int)}, progressive when asked and the codec can. */
  default byte[] encode(YCbCr image, int quality, boolean progressive) throws IOException {
    return encode(image, quality);
  }
}
