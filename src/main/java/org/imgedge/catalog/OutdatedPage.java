package org.imgedge.catalog;

import java.util.List;

/**
 * Images behind the current presets (see {@link CatalogRepository#outdated}), and where the next page
 * starts: after {@code next}, in the order of the index on (preset_set, id).
 */
public record OutdatedPage(List<Image> images, Position next) {

  /** A place in that order; {@link #START} is before every image. */
  public record Position(String presetSet, String id) {
    public static final Position START = new Position("", "");
  }
}
