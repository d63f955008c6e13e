package org.imgedge.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.imgedge.imaging.codec.JpegCodec;

/**
 * HEIC, AVIF and wide-gamut originals: per file, ms per upload (both variants) of our pipeline next to
 * {@code vipsthumbnail}, and for wide-gamut ones what converting to sRGB costs ({@code imaging.wideGamut srgb}
 * against {@code keep-p3}, the same file and run). Arguments: {@code [--reps N]}.
 *
 * <p>HEIF is decoded by libheif in our decoder process and in vips, both on as many threads as the cores they
 * are given (bench/pipeline.sh gives one; BENCH_CPU=0,1 two).
 */
public final class HeifColorTable {

  private HeifColorTable() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length == 2 && args[0].equals("--reps") ? Integer.parseInt(args[1]) : 11;
    Path corpus = Path.of("src/test/resources/corpus");
    List<Path> files = new ArrayList<>(list(corpus.resolve("heic")));
    files.add(corpus.resolve("formats/sample.avif"));
    files.addAll(list(corpus.resolve("color")).stream().filter(f -> !f.getFileName().toString().startsWith("srgb-")).toList());
    boolean vips = VipsThumbnail.available();
    Engine keep = Engine.pipeline("keep-p3", VariantPipeline.create(JpegCodec.turbo(), WideGamut.KEEP_P3),
        PipelineTable.PRESETS);
    Engine srgb = Engine.pipeline("srgb", VariantPipeline.create(JpegCodec.turbo(), WideGamut.SRGB), PipelineTable.PRESETS);
    VipsThumbnail thumbnail = new VipsThumbnail(Files.createDirectories(Path.of("target/bench/vips").toAbsolutePath()), 4, 3,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%d files; %d available processor(s); median of %d timed runs per file%s%n%n", files.size(),
        Runtime.getRuntime().availableProcessors(), reps, vips ? "" : "; vipsthumbnail missing (apt-get install -y libvips-tools)");
    System.out.println("| file | ours, keep-p3 (ms) | ours, srgb (ms) | srgb - keep-p3 (ms) | vipsthumbnail (ms) | ours / vips |"
        + " medium bytes, keep-p3 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Path file : files) {
      double[] both = time(keep, srgb, file, reps);
      double ours = both[0];
      double converted = both[1];
      double vipsMs = vips ? thumbnail.thumbnail(file, PipelineTable.MEDIUM.box(), PipelineTable.MEDIUM.quality()).ms()
          + thumbnail.thumbnail(file, PipelineTable.SMALL.box(), PipelineTable.SMALL.quality()).ms() : Double.NaN;
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f | %.1f | %.2f | %d |%n", file.getFileName(), ours, converted,
          converted - ours, vipsMs, ours / vipsMs, keep.make(file).get(0).length);
    }
  }

  /**
   * Five warm-up runs of each, then {@code reps} runs of each, taking turns so that drift (the machine's other
   * work, the JIT) falls on both alike.
   *
   * @return the medians, {@code a}'s then {@code b}'s
   */
  private static double[] time(Engine a, Engine b, Path file, int reps) throws Exception {
    for (int i = 0; i < 5; i++) {
      a.make(file);
      b.make(file);
    }
    double[] msA = new double[reps];
    double[] msB = new double[reps];
    for (int i = 0; i < reps; i++) {
      msA[i] = once(a, file);
      msB[i] = once(b, file);
    }
    return new double[] {Table.median(msA), Table.median(msB)};
  }

  private static double once(Engine engine, Path file) throws Exception {
    long start = System.nanoTime();
    engine.make(file);
    return (System.nanoTime() - start) / 1e6;
  }

  private static List<Path> list(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
