package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Formats the comparison as one Markdown table: a block of engines per photo, then the medians. */
final class Table {

  private Table() {}

  static String markdown(List<Path> photos, Map<Path, Double> megapixels,
      Map<String, Map<Path, PipelineTable.Cell>> cells, String baseline) {
    StringBuilder sb = new StringBuilder();
    sb.append("| photo | MP | engine | ms / upload | x vips | SSIM medium | SSIM small | bytes medium | bytes small"
        + " | bytes x vips (m / s) |\n");
    sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Path photo : photos) {
      String name = photo.getFileName().toString();
      String mp = String.format(Locale.ROOT, "%.1f", megapixels.get(photo));
      for (var e : cells.entrySet()) {
        PipelineTable.Cell base = baseline == null ? null : cells.get(baseline).get(photo);
        row(sb, name, mp, e.getKey(), e.getValue().get(photo), base);
        name = "";
        mp = "";
      }
    }
    for (var e : cells.entrySet()) {
      PipelineTable.Cell base = baseline == null ? null : median(cells.get(baseline));
      row(sb, "**median**", "", e.getKey(), median(e.getValue()), base);
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String photo, String mp, String engine, PipelineTable.Cell c,
      PipelineTable.Cell base) {
    String vsTime = base == null ? "" : String.format(Locale.ROOT, "%.2f", c.ms() / base.ms());
    String vsBytes = base == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f",
        (double) c.mediumBytes() / base.mediumBytes(), (double) c.smallBytes() / base.smallBytes());
    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %.4f | %.4f | %d | %d | %s |%n",
        photo, mp, engine, c.ms(), vsTime, c.ssimMedium(), c.ssimSmall(), c.mediumBytes(), c.smallBytes(), vsBytes));
  }

  /** Column by column: the median photo for each figure (not one photo's row). */
  private static PipelineTable.Cell median(Map<Path, PipelineTable.Cell> byPhoto) {
    var cells = byPhoto.values();
    return new PipelineTable.Cell(
        median(cells, PipelineTable.Cell::ms),
        Math.round(median(cells, c -> c.mediumBytes())),
        Math.round(median(cells, c -> c.smallBytes())),
        median(cells, PipelineTable.Cell::ssimMedium),
        median(cells, PipelineTable.Cell::ssimSmall));
  }

  private static double median(java.util.Collection<PipelineTable.Cell> cells, ToDoubleFunction<PipelineTable.Cell> f) {
    return median(cells.stream().mapToDouble(f).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
