package org.imgedge.imaging.codec;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Time of one encode of a medium-sized variant (1000 px box) in each format, through the service's own
 * encoders at the default qualities: what one variant costs an upload (JPEG, WebP) or the regeneration (AVIF),
 * on the one core it runs on.
 */
public final class FormatSpeed {

  private FormatSpeed() {}

  public static void main(String[] args) throws Exception {
    byte[] jpeg = Files.readAllBytes(Path.of(args.length > 0 ? args[0]
        : "src/test/resources/corpus/photos/samsung-sm-g935l-galaxy-s7-edge.jpg"));
    RgbImage rgb = JpegCodec.turbo().decode(jpeg, 1000, 750);
    System.out.printf(Locale.ROOT, "%dx%d RGB%n", rgb.width(), rgb.height());
    time("JPEG q85 (libjpeg-turbo)", 15, () -> JpegCodec.turbo().encode(rgb, 85));
    time("WebP q83 (method " + WebpEncoder.METHOD + ")", 15, () -> WebpEncoder.encode(rgb, 83));
    time("AVIF q62 (threads " + AvifEncoder.THREADS + ", speed " + AvifEncoder.SPEED + ")", 5,
        () -> AvifEncoder.encode(rgb, 62, null, null));
  }

  private interface Encode {
    byte[] run() throws Exception;
  }

  private static void time(String what, int n, Encode e) throws Exception {
    e.run(); // warm-up
    double[] wall = new double[n];
    double[] cpu = new double[n];
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      bytes = e.run().length;
      wall[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf(Locale.ROOT, "%-36s median %.1f ms wall, %.1f ms CPU, %d bytes%n", what, wall[n / 2], cpu[n / 2], bytes);
  }
}
