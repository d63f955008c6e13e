package org.imgedge.imaging.codec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the codec once per JVM, so the choice is logged once however often {@link JpegCodec#best()} is called. */
final class BestCodec {

  private static final Logger log = LoggerFactory.getLogger(BestCodec.class);

  static final JpegCodec INSTANCE = choose();

  private BestCodec() {}

  private static JpegCodec choose() {
    try {
      JpegCodec turbo = TurboJpegCodec.create();
      log.info("JPEG codec: libjpeg-turbo");
      return turbo;
    } catch (IllegalStateException e) {
      log.warn("JPEG codec: imageio, because libjpeg-turbo is unavailable ({}); decoding will be several times slower",
          e.getMessage());
      return ImageIoJpegCodec.INSTANCE;
    }
  }
}
