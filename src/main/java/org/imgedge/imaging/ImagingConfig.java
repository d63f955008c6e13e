package org.imgedge.imaging;

import java.util.List;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * @param codec   {@code auto} (libjpeg-turbo when it loads), {@code turbo} or {@code imageio}
 * @param workers imaging worker threads; each decodes one upload at a time
 * @param queue   uploads admitted at once (being processed or waiting); more get 503
 * @param memoryBudgetBytes the decode memory (estimated from each header) admitted uploads may hold at
 *                          once; an upload that does not fit waits its turn within {@code queue}
 * @param wideGamut {@code keep-p3} (Display P3 originals give tagged P3 variants) or {@code srgb}
 */
public record ImagingConfig(String codec, int workers, int queue, int timeoutSeconds, long memoryBudgetBytes,
    WideGamut wideGamut) {
  public static ImagingConfig from(Json j) {
    String codec = j.string("codec", "auto");
    if (!List.of("auto", "turbo", "imageio").contains(codec)) {
      throw new ConfigException("imaging.codec", "must be auto, turbo or imageio");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int workers = j.integer("workers", cores, 1, 256);
    WideGamut wideGamut = WideGamut.ofWire(j.string("wideGamut", WideGamut.KEEP_P3.wire()))
        .orElseThrow(() -> new ConfigException("imaging.wideGamut", "must be keep-p3 or srgb"));
    return new ImagingConfig(codec, workers, j.integer("queue", 4 * workers, 1, 10_000),
        j.integer("timeoutSeconds", 60, 1, 3600), j.number("memoryBudgetBytes", defaultMemoryBudget(), 16L << 20, Long.MAX_VALUE),
        wideGamut);
  }

  /** A quarter of the maximum heap, at least 256 MiB: decodes hold heap (ImageIO, resizing) and native memory (codecs). */
  static long defaultMemoryBudget() {
    return Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 4);
  }
}
