package org.imgedge.imaging;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.AvifEncoder;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpEncoder;

/**
 * The formats this node can encode, found once by encoding a tiny image in each: a library whose symbols
 * load may still fail to encode (a build without the encoder plugin, a broken codec), and only a real
 * encode tells. What a node can encode is its own business: the deployment's presets say what the
 * variants should have, whatever this node can make.
 */
public final class EncodableFormats {

  private EncodableFormats() {}

  /** Initialised on first use, which the start does off the event loop ({@link #here}): the test encodes take a while. */
  private static final class Probe {
    static final Map<VariantFormat, Throwable> UNAVAILABLE = probe();

    private static Map<VariantFormat, Throwable> probe() {
      Map<VariantFormat, Throwable> out = new EnumMap<>(VariantFormat.class);
      RgbImage tiny = RgbImage.allocate(16, 16);
      for (VariantFormat f : VariantFormat.values()) {
        try {
          switch (f) {
            case JPEG -> { } // the service does not start without a JPEG codec
            case WEBP -> WebpEncoder.encode(tiny, 80);
            case AVIF -> AvifEncoder.encode(tiny, 50, null, null);
          }
        } catch (Exception | LinkageError e) {
          out.put(f, e);
        }
      }
      return out;
    }
  }

  /** Blocks, the first time, for the test encodes. @return the formats this node can encode */
  public static Set<VariantFormat> here() {
    Set<VariantFormat> out = EnumSet.allOf(VariantFormat.class);
    out.removeAll(Probe.UNAVAILABLE.keySet());
    return out;
  }

  /** The formats this node cannot encode, each with why, in the formats' order. */
  public static Map<VariantFormat, Throwable> missingHere() {
    return Collections.unmodifiableMap(Probe.UNAVAILABLE);
  }

  static boolean encodable(VariantFormat format) {
    return !Probe.UNAVAILABLE.containsKey(format);
  }
}
