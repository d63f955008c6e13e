package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much memory rendering an original will hold at its peak, read from its header before any worker is
 * asked, so uploads can be admitted by it ({@code imaging.memoryBudgetBytes}) and not by their count alone.
 */
public final class DecodeEstimate {

  private static final Logger log = LoggerFactory.getLogger(DecodeEstimate.class);

  private final VariantPipeline pipeline;
  private final long maxPixels;

  public DecodeEstimate(VariantPipeline pipeline, long maxPixels) {
    this.pipeline = pipeline;
    this.maxPixels = maxPixels;
  }

  /**
   * Blocking: reads the header.
   *
   * @param format as the upload's inspection already sniffed it
   * @param made   the presets it is to be made into
   * @return the bytes; 0 for a file the render will refuse anyway (unreadable header, too many pixels),
   *     which it does without decoding
   */
  public long bytes(Path original, ImageFormat format, List<Preset> made) {
    int largestBox = made.stream().mapToInt(Preset::box).max().orElse(0);
    try (Source source = pipeline.open(original, format)) {
      Size stored = source.storedSize();
      if (stored.width() < 1 || stored.height() < 1 || stored.pixels() > maxPixels) {
        return 0;
      }
      // the most the render asks of the decoder: twice the largest preset per side (see VariantMaker)
      Size min = new Size(Math.min(2 * largestBox, stored.width()), Math.min(2 * largestBox, stored.height()));
      return source.decodeBytes(min);
    } catch (Exception | StackOverflowError e) {
      log.debug("no decode estimate for {}: {}", original.getFileName(), e.toString());
      return 0;
    }
  }
}
