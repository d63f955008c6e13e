package org.imgedge.imaging.codec;

import java.util.Arrays;
import java.util.Optional;

/** How finely a JPEG stores colour next to brightness. */
public enum Chroma {
  /** One colour sample for each 2x2 pixels: what nearly every JPEG has, and the smallest files. */
  SUBSAMPLED("4:2:0"),
  /**
   * One colour sample for each pixel. A small picture's fine detail is a few pixels wide, and at 4:2:0 its colour
   * bleeds into dark neighbours: at the same bytes a 400-pixel thumbnail keeps its colours far better this way.
   */
  FULL("4:4:4");

  private final String wire;

  Chroma(String wire) {
    this.wire = wire;
  }

  /** "4:2:0" or "4:4:4", as config files write it. */
  public String wire() {
    return wire;
  }

  public static Optional<Chroma> fromWire(String wire) {
    return Arrays.stream(values()).filter(c -> c.wire.equals(wire)).findFirst();
  }
}
