package org.imgedge.imaging;

import java.nio.file.Path;
import org.imgedge.imaging.codec.HeifDecoder;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.RgbRows;

/** Decodes a HEIF or AVIF file to RGB in this process, for measuring. */
final class HeifFixture {

  private HeifFixture() {}

  static RgbImage decode(Path file) throws Exception {
    RgbImage[] out = new RgbImage[1];
    int[] y = {0};
    try (HeifDecoder d = HeifDecoder.open(file)) {
      d.decode(new RgbRows() {
        @Override
        public void size(int width, int height) {
          out[0] = RgbImage.allocate(width, height);
        }

        @Override
        public void row(byte[] rgb) {
          System.arraycopy(rgb, 0, out[0].rgb(), y[0]++ * rgb.length, rgb.length);
        }
      });
    }
    return out[0];
  }
}
