package org.imgedge.imaging.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Time of one WebP encode of a medium-sized variant, per libwebp method: which method an upload can afford. */
public final class WebpSpeed {

  private WebpSpeed() {}

  public static void main(String[] args) throws Exception {
    byte[] jpeg = Files.readAllBytes(Path.of(args.length > 0 ? args[0]
        : "src/test/resources/corpus/photos/samsung-sm-g935l-galaxy-s7-edge.jpg"));
    RgbImage rgb = JpegCodec.turbo().decode(jpeg, 1000, 750);
    System.out.printf(Locale.ROOT, "%dx%d RGB%n", rgb.width(), rgb.height());
    for (int round = 0; round < 2; round++) {
      time("JPEG q85 (libjpeg-turbo)", () -> JpegCodec.turbo().encode(rgb, 85));
      time("WebP simple API (method 4) q81", () -> WebpEncoder.encodeSimple(rgb, 81));
      for (int m : new int[] {0, 1, 2, 3, 4}) {
        time("WebP method " + m + " q81", () -> WebpEncoder.encode(rgb, 81, m));
      }
    }
  }

  private interface Encode {
    byte[] run() throws Exception;
  }

  private static void time(String what, Encode e) throws Exception {
    int n = 15;
    double[] t = new double[n];
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      bytes = e.run().length;
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(t);
    System.out.printf(Locale.ROOT, "%-32s median %.1f ms, %d bytes%n", what, t[n / 2], bytes);
  }
}
