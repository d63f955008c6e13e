package org.imgedge.imaging;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.support.Hashing;

/** The presets every upload gets, smallest box first, with the fingerprint images record (see {@link #fingerprint}). */
public record PresetSet(List<Preset> presets) {

  public PresetSet {
    presets = presets.stream().sorted((a, b) -> Integer.compare(a.box(), b.box())).toList();
  }

  /** Every format some preset asks for. */
  public Set<VariantFormat> formats() {
    Set<VariantFormat> all = EnumSet.of(VariantFormat.JPEG);
    presets.forEach(p -> all.addAll(p.formats()));
    return all;
  }

  /** These presets without AVIF: an upload's, whose AVIF files are made in the background (the regeneration). */
  public List<Preset> forUpload() {
    return presets.stream().map(p -> p.without(VariantFormat.AVIF)).toList();
  }

  public Optional<Preset> get(String name) {
    return presets.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** On the hot path of cached reads: a loop over a handful, with nothing allocated. */
  public boolean contains(String name) {
    for (Preset p : presets) {
      if (p.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The preset whose variant's pixels the placeholder is made from: {@code small}, else the smallest. */
  public Preset placeholderSource() {
    return Placeholder.source(presets);
  }

  public Map<String, String> specs() {
    Map<String, String> specs = new LinkedHashMap<>();
    presets.forEach(p -> specs.put(p.name(), p.spec()));
    return specs;
  }

  /**
   * Equal to the fingerprint of an image whose variants are exactly these presets at these specs, and which
   * has its placeholder.
   */
  public String fingerprint() {
    Map<String, String> specs = specs();
    specs.put(Hashing.PLACEHOLDER_ENTRY, Hashing.PLACEHOLDER_SPEC);
    return Hashing.fingerprint(specs);
  }
}
