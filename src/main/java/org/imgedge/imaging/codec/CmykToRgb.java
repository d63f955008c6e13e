package org.imgedge.imaging.codec;

/**
 * Naive CMYK to RGB (R = (1-C)(1-K) ...) for what libjpeg-turbo hands back from CMYK/YCCK JPEGs.
 *
 * <p>Adobe applications (which write nearly every CMYK JPEG, flagged by the APP14 marker) store the samples
 * inverted, 255 meaning no ink, so for those the decoded value already is (1-C).
 */
final class CmykToRgb {

  private CmykToRgb() {}

  static void convert(byte[] cmyk, byte[] rgb, boolean inverted) {
    for (int i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
      int c = cmyk[i] & 0xff, m = cmyk[i + 1] & 0xff, y = cmyk[i + 2] & 0xff, k = cmyk[i + 3] & 0xff;
      if (!inverted) {
        c = 255 - c;
        m = 255 - m;
        y = 255 - y;
        k = 255 - k;
      }
      rgb[o] = (byte) ((c * k + 127) / 255);
      rgb[o + 1] = (byte) ((m * k + 127) / 255);
      rgb[o + 2] = (byte) ((y * k + 127) / 255);
    }
  }
}
