package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.List;

/** One way of making the medium and small variants of a photo, timed per photo. */
interface Engine {

  String name();

  /** @return encoded medium and small variants, in that order, as JPEG bytes */
  List<byte[]> make(Path photo) throws Exception;

  /** Ours: {@link VariantPipeline#render}, i.e. sniff, header, EXIF, decode, resize, orient, encode. */
  static Engine pipeline(String name, VariantPipeline pipeline, List<Preset> presets) {
    return new Engine() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<byte[]> make(Path photo) throws Exception {
        return pipeline.render(photo, presets, 250_000_000L).variants().stream().map(EncodedVariant::jpeg).toList();
      }
    };
  }
}
