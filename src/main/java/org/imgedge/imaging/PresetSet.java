package org.imgedge.imaging;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Set;
import org.imgedge.catalog.VariantFormat;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.imgedge.support.Hashing;

/** The presets every upload gets, smallest box first, with the fingerprint images record (see {@link #fingerprint}). */
public record PresetSet(List<Preset> presets) {

  public PresetSet {
    presets = presets.stream().sorted((a, b) -> Integer.compare(a.box(), b.box())).toList();
  }

  /**
   * The presets without the formats this node cannot encode, each of which is said once: what a node
   * asks the deployment for. A variant another node's presets ask for in such a format is recorded without
   * it, and made by the regeneration on a node that can.
   */
  public static PresetSet makeableHere(List<Preset> configured) {
    List<Preset> out = new ArrayList<>();
    Set<VariantFormat> unavailable = EnumSet.noneOf(VariantFormat.class);
    for (Preset p : configured) {
      Preset kept = p;
      for (VariantFormat f : p.formats()) {
        if (!OtherFormats.encodable(f)) {
          unavailable.add(f);
          kept = kept.without(f);
        }
      }
      out.add(kept);
    }
    for (VariantFormat f : unavailable) {
      LoggerFactory.getLogger(PresetSet.class).warn("{} variants: not made on this node, because its encoder is unavailable ({})",
          f.wire(), OtherFormats.unavailableBecause(f));
    }
    return new PresetSet(out);
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
