package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.imgedge.imaging.codec.JpegCodec;

/**
 * Resize -> colour -> orient -> encode for each preset, from one decoded raster.
 *
 * <p>Resizing happens on the raster as stored (targets are transposed for orientations 5..8) and the
 * rotation afterwards, on few pixels. Big presets are made first so a smaller one can be resampled from a
 * bigger result that is still at least twice its size: visually the same, and far less work.
 */
final class VariantMaker {

  private final JpegCodec codec;
  private final Size displayed;
  private final int orientation;
  private final ColorPlan color;
  private final Path scratch;

  /**
   * @param displayed   the original's size as displayed (after orientation)
   * @param orientation EXIF orientation 1..8
   * @param color       applied after resizing, to the variants resized from the decoded raster
   * @param scratch     see {@link OtherFormats#encode}
   */
  VariantMaker(JpegCodec codec, Size displayed, int orientation, ColorPlan color, Path scratch) {
    this.scratch = scratch;
    this.codec = codec;
    this.displayed = displayed;
    this.orientation = orientation;
    this.color = color;
  }

  /** Target size of a preset in stored (unrotated) orientation. */
  Size storedTarget(Preset preset) {
    Size target = displayed.fitInside(preset.box());
    return Orient.swapsAxes(orientation) ? target.transposed() : target;
  }

  /** The least the decoder must deliver: twice the largest target per side, capped at the original. */
  Size minimumDecode(List<Preset> presets) {
    Size stored = Orient.swapsAxes(orientation) ? displayed.transposed() : displayed;
    int w = 1, h = 1;
    for (Preset p : presets) {
      Size t = storedTarget(p);
      w = Math.max(w, 2 * t.width());
      h = Math.max(h, 2 * t.height());
    }
    return new Size(Math.min(w, stored.width()), Math.min(h, stored.height()));
  }

  /** What {@link #make} made: one variant per preset, in the order given, and the placeholder's ThumbHash. */
  record Made(List<EncodedVariant> variants, byte[] thumbHash) {}

  /** A variant whose JPEG is made and whose other formats may still be encoding. */
  private record Underway(int width, int height, byte[] jpeg, OtherFormats.Pending others) {}

  /** The variants, and the placeholder from the pixels of {@link Placeholder#source}'s variant before it is encoded. */
  Made make(Raster decoded, List<Preset> presets) throws IOException {
    Preset placeholderSource = Placeholder.source(presets);
    byte[] thumbHash = null;
    List<Preset> biggestFirst = new ArrayList<>(presets);
    biggestFirst.sort(Comparator.comparingInt(Preset::box).reversed());
    List<Raster> made = new ArrayList<>();
    Map<Preset, Underway> underway = new IdentityHashMap<>();
    List<OtherFormats.Pending> started = new ArrayList<>();
    try {
      for (Preset preset : biggestFirst) {
        Size target = storedTarget(preset);
        Raster source = sourceFor(target, decoded, made);
        Raster scaled = source.resize(target.width(), target.height(), preset.chroma());
        // converted once per raster resized from the decoded one; a variant resized from an earlier one has its colours
        Raster variant = source == decoded ? color.apply(scaled) : scaled;
        made.add(variant);
        Raster upright = variant.orient(orientation);
        if (preset == placeholderSource) {
          thumbHash = Placeholder.thumbHash(upright.toRgb(), color::placeholderColours);
        }
        OtherFormats.Pending others = OtherFormats.start(preset, upright, color, scratch);
        started.add(others);
        byte[] jpeg = color.tag(upright.encode(codec, preset));
        underway.put(preset, new Underway(upright.width(), upright.height(), jpeg, others));
      }
      // joined once every JPEG is made: a bigger preset's WebP encodes while the smaller ones are resized
      List<EncodedVariant> out = new ArrayList<>();
      for (Preset preset : presets) {
        Underway m = underway.get(preset);
        out.add(new EncodedVariant(preset, m.width(), m.height(), m.jpeg(), m.others().join()));
      }
      return new Made(List.copyOf(out), thumbHash);
    } catch (IOException | RuntimeException | Error e) {
      started.forEach(OtherFormats.Pending::abandon); // none outlives the job, whose admission is released after this
      throw e;
    }
  }

  /** The smallest earlier result that still covers twice the target, else the decoded raster. */
  private static Raster sourceFor(Size target, Raster decoded, List<Raster> made) {
    Raster best = decoded;
    for (Raster r : made) {
      Size size = new Size(r.width(), r.height());
      if (size.coversTwice(target) && size.pixels() < (long) best.width() * best.height()) {
        best = r;
      }
    }
    return best;
  }
}
