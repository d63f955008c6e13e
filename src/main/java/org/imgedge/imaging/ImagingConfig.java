package org.imgedge.imaging;

import java.util.List;
import org.imgedge.config.ConfigException;
import org.imgedge.config.Json;

/**
 * @param codec   {@code auto} (libjpeg-turbo when it loads), {@code turbo} or {@code imageio}
 * @param workers imaging worker threads; each decodes one upload at a time
 * @param queue   uploads admitted at once (being processed or waiting); more get 503
 */
public record ImagingConfig(String codec, int workers, int queue, int timeoutSeconds) {
  public static ImagingConfig from(Json j) {
    String codec = j.string("codec", "auto");
    if (!List.of("auto", "turbo", "imageio").contains(codec)) {
      throw new ConfigException("imaging.codec", "must be auto, turbo or imageio");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int workers = j.integer("workers", cores, 1, 256);
    return new ImagingConfig(codec, workers, j.integer("queue", 4 * workers, 1, 10_000),
        j.integer("timeoutSeconds", 60, 1, 3600));
  }
}
