package org.imgedge.imaging;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;

/**
 * Heap cost of a huge upload: makes a 108 MP and a 200 MP JPEG (phone sensor sizes, smooth gradients with
 * sensor-like noise, q90, cached under target/bench) and renders each once, reporting the bytes allocated on
 * the heap during the render (an upper bound on heap growth) and the peak heap use above the idle baseline.
 */
final class BigJpegs {

  private static final int[][] SIZES = {{12_000, 9_000}, {16_320, 12_240}};

  private BigJpegs() {}

  static void report(Path dir, List<Preset> presets) throws Exception {
    Files.createDirectories(dir);
    System.out.println();
    System.out.println("| synthetic JPEG | file MB | ms | heap allocated during render MB | peak heap above idle MB |");
    System.out.println("|---|---:|---:|---:|---:|");
    VariantPipeline pipeline = VariantPipeline.create(JpegCodec.turbo());
    for (int[] size : SIZES) {
      Path file = dir.resolve("synthetic-" + size[0] + "x" + size[1] + ".jpg");
      if (!Files.exists(file)) {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, JpegCodec.turbo().encode(synthetic(size[0], size[1]), 90));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      pipeline.render(file, presets, 250_000_000L); // warm: the first call also loads classes
      System.gc();
      long idle = heapUsed();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long allocated0 = threads.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      pipeline.render(file, presets, 250_000_000L);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocated0;
      long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.out.printf(Locale.ROOT, "| %d x %d (%.0f MP) | %.1f | %d | %.1f | %.1f |%n", size[0], size[1],
          size[0] * (double) size[1] / 1e6, Files.size(file) / 1e6, ms, allocated / 1e6, Math.max(0, peak - idle) / 1e6);
    }
    System.out.println("(peak heap sums each pool's own peak, so it too errs on the high side)");
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  /** Diagonal colour gradients plus +-32 of noise: compresses about like a phone photo per pixel. */
  static RgbImage synthetic(int w, int h) {
    RgbImage img = RgbImage.allocate(w, h);
    byte[] rgb = img.rgb();
    long seed = 0x9E3779B97F4A7C15L;
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        int noise = (int) (seed & 63) - 32;
        rgb[i++] = clamp(x * 255 / w + noise);
        rgb[i++] = clamp(y * 255 / h + (noise >> 1));
        rgb[i++] = clamp((x + y) * 255 / (w + h) - noise);
      }
    }
    return img;
  }

  private static byte clamp(int v) {
    return (byte) Math.max(0, Math.min(255, v));
  }
}
