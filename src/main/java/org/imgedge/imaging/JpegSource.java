package org.imgedge.imaging;

import java.io.IOException;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.JpegHeader;
import org.imgedge.imaging.codec.RgbImage;

/** A JPEG held in memory (the codecs want the whole file), sized by its own SOF marker. */
final class JpegSource implements Source {

  private final byte[] jpeg;
  private final JpegCodec codec;

  JpegSource(byte[] jpeg, JpegCodec codec) {
    this.jpeg = jpeg;
    this.codec = codec;
  }

  @Override
  public Size storedSize() throws IOException {
    JpegHeader header = JpegHeader.parse(jpeg);
    return new Size(header.width(), header.height());
  }

  @Override
  public RgbImage decode(Size min) throws IOException {
    return codec.decode(jpeg, min.width(), min.height());
  }

  @Override
  public void close() {}
}
