package org.imgedge.imaging;

import java.util.Arrays;
import java.util.Optional;

/** What the variants of a wide-gamut original are made in: config {@code imaging.wideGamut}. */
public enum WideGamut {
  /** Display P3 originals give P3 variants, tagged with a compact profile: phones and browsers show P3. */
  KEEP_P3("keep-p3"),
  /** Every variant in sRGB, untagged: for clients that ignore profiles. */
  SRGB("srgb");

  private final String wire;

  WideGamut(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<WideGamut> ofWire(String wire) {
    return Arrays.stream(values()).filter(w -> w.wire.equals(wire)).findFirst();
  }
}
