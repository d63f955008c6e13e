package org.imgedge.imaging.heif;

import java.io.DataOutputStream;
import java.io.IOException;
import org.imgedge.imaging.codec.RgbRows;

/**
 * The answer to a {@link Protocol#DECODE}, written as libheif hands the picture over: the decoded size, then the
 * picture {@code factor} times smaller on each side, each pixel the mean of a block of {@code factor x factor} (of
 * fewer at the right and bottom edges). Shrinking here, in the decoder's process, is what keeps a 14000x14000 HEIC
 * (588 MB of RGB) out of the service's heap: the service asks for no more than twice its largest preset, as it does
 * of libjpeg-turbo's DCT scaling, and its resampler takes it from there.
 */
final class ShrunkAnswer implements RgbRows {

  private final DataOutputStream out;
  private final int factor;
  private int width;
  private int height;
  /** Per output sample, the sum over the rows of the current block so far: a long, as a block may be any size. */
  private long[] sums;
  private byte[] shrunk;
  private int rowsRead;

  ShrunkAnswer(DataOutputStream out, int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("shrink factor " + factor);
    }
    this.out = out;
    this.factor = factor;
  }

  /** A side of {@code length} pixels, shrunk by {@code factor}: a partial block at its end makes a pixel too. */
  static int shrunk(int length, int factor) {
    return (length + factor - 1) / factor;
  }

  @Override
  public void size(int width, int height) throws IOException {
    this.width = width;
    this.height = height;
    out.writeByte(Protocol.OK);
    out.writeInt(width);
    out.writeInt(height);
    sums = new long[shrunk(width, factor) * 3];
    shrunk = new byte[sums.length];
  }

  @Override
  public void row(byte[] rgb) throws IOException {
    if (factor == 1) {
      out.write(rgb, 0, width * 3);
      return;
    }
    for (int x = 0; x < width; x++) {
      int o = x / factor * 3;
      sums[o] += rgb[3 * x] & 0xff;
      sums[o + 1] += rgb[3 * x + 1] & 0xff;
      sums[o + 2] += rgb[3 * x + 2] & 0xff;
    }
    rowsRead++;
    int rowsInBlock = (rowsRead - 1) % factor + 1;
    if (rowsInBlock == factor || rowsRead == height) {
      writeBlockRow(rowsInBlock);
    }
  }

  private void writeBlockRow(int rows) throws IOException {
    for (int o = 0; o < sums.length; o += 3) {
      int columns = Math.min(factor, width - o / 3 * factor);
      long count = (long) rows * columns;
      for (int c = 0; c < 3; c++) {
        shrunk[o + c] = (byte) ((sums[o + c] + count / 2) / count);
        sums[o + c] = 0;
      }
    }
    out.write(shrunk);
  }
}
