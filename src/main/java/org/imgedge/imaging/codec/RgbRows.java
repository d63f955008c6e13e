package org.imgedge.imaging.codec;

import java.io.IOException;

/**
 * Where a decoder hands a picture one 8-bit RGB row at a time, top to bottom: for a consumer that need not
 * hold it whole, such as the pipe out of the HEIF decoder's process.
 */
public interface RgbRows {

  /** Called once, before the first row. */
  void size(int width, int height) throws IOException;

  /** @param rgb {@code 3 * width} bytes, R, G, B per pixel; reused for the next row */
  void row(byte[] rgb) throws IOException;
}
