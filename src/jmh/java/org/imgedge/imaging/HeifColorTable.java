package org.imgedge.imaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.imgedge.imaging.codec.JpegCodec;

/**
 * HEIC, AVIF and wide-gamut originals: per file, ms per upload (both variants) of our pipeline next to
 * {@code vipsthumbnail}, and for wide-gamut JPEGs what colour management costs: the same file with its ICC profile
 * taken out, so the pipeline treats it as sRGB, is timed in the same turns ({@code keep-p3}, {@code srgb},
 * untagged), also on a 12 MP phone photo tagged with their profiles. Arguments: {@code [--reps N]}.
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
    List<Path> wideGamut = list(corpus.resolve("color")).stream().filter(f -> !f.getFileName().toString().startsWith("srgb-")).toList();
    files.addAll(wideGamut);
    Path phoneDir = Files.createDirectories(Path.of("target/bench/phone-sized"));
    for (Path jpeg : wideGamut.stream().filter(f -> f.toString().endsWith(".jpg")).toList()) {
      files.add(phoneSized(corpus.resolve("photos/samsung-sm-g935l-galaxy-s7-edge.jpg"), jpeg, phoneDir));
    }
    boolean vips = VipsThumbnail.available();
    Engine keep = Engine.pipeline("keep-p3", VariantPipeline.create(JpegCodec.turbo(), WideGamut.KEEP_P3),
        PipelineTable.PRESETS);
    Engine srgb = Engine.pipeline("srgb", VariantPipeline.create(JpegCodec.turbo(), WideGamut.SRGB), PipelineTable.PRESETS);
    VipsThumbnail thumbnail = new VipsThumbnail(Files.createDirectories(Path.of("target/bench/vips").toAbsolutePath()), 4, 3,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%d files; %d available processor(s); median of %d timed runs per file%s%n%n", files.size(),
        Runtime.getRuntime().availableProcessors(), reps, vips ? "" : "; vipsthumbnail missing (apt-get install -y libvips-tools)");
    Path untaggedDir = Files.createDirectories(Path.of("target/bench/untagged"));
    System.out.println("| file | ours, keep-p3 (ms) | ours, srgb (ms) | ours, profile taken out (ms) | colour cost, keep-p3"
        + " | colour cost, srgb | vipsthumbnail (ms) | ours / vips | medium bytes, keep-p3 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Path file : files) {
      Optional<Path> untagged = untagged(file, untaggedDir);
      double[] ms = time(file, untagged, reps, keep, srgb);
      double vipsMs = vips ? thumbnail.thumbnail(file, PipelineTable.MEDIUM).ms() + thumbnail.thumbnail(file, PipelineTable.SMALL).ms()
          : Double.NaN;
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s | %s | %.1f | %.2f | %d |%n", file.getFileName(), ms[0], ms[1],
          untagged.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", ms[2]), cost(ms[0], ms[2]), cost(ms[1], ms[2]), vipsMs,
          ms[0] / vipsMs, keep.make(file).get(0).length);
    }
  }

  /** "+1.2 ms (4.0%)": what a mode adds to the untagged file's time, or "-" without one. */
  private static String cost(double ms, double untaggedMs) {
    return Double.isNaN(untaggedMs) ? "-"
        : String.format(Locale.ROOT, "%+.1f ms (%+.1f%%)", ms - untaggedMs, 100 * (ms - untaggedMs) / untaggedMs);
  }

  /**
   * Five warm-up runs of each, then {@code reps} runs of each, taking turns so that drift (the machine's other
   * work, the JIT) falls on all alike: each engine on {@code file}, then the first engine on {@code untagged}.
   *
   * @return the medians, in that order (NaN for the untagged file when there is none)
   */
  private static double[] time(Path file, Optional<Path> untagged, int reps, Engine... engines) throws Exception {
    int runs = engines.length + 1;
    double[][] ms = new double[runs][reps];
    for (int i = -5; i < reps; i++) {
      for (int e = 0; e < runs; e++) {
        double t = e < engines.length ? once(engines[e], file)
            : untagged.isPresent() ? once(engines[0], untagged.get()) : Double.NaN;
        if (i >= 0) {
          ms[e][i] = t;
        }
      }
    }
    double[] medians = new double[runs];
    for (int e = 0; e < runs; e++) {
      medians[e] = Table.median(ms[e]);
    }
    return medians;
  }

  private static double once(Engine engine, Path file) throws Exception {
    long start = System.nanoTime();
    engine.make(file);
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * A JPEG's copy without its ICC profile (the APP2 {@code ICC_PROFILE} segments), every other byte the same: the
   * pipeline's time on it is the time without colour management. Empty for other formats.
   */
  private static Optional<Path> untagged(Path file, Path dir) throws Exception {
    Optional<Split> split = split(Files.readAllBytes(file));
    if (split.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Files.write(dir.resolve(file.getFileName()), split.get().rest()));
  }

  /**
   * A phone-sized photo tagged with the profile of a {@code color/} file: the colour files are 2 MP, and what a
   * conversion adds is in proportion to the variants' pixels, not the original's.
   */
  private static Path phoneSized(Path photo, Path profileOf, Path dir) throws Exception {
    byte[] rest = split(Files.readAllBytes(photo)).orElseThrow().rest();
    byte[] icc = split(Files.readAllBytes(profileOf)).orElseThrow().icc();
    ByteArrayOutputStream out = new ByteArrayOutputStream(rest.length + icc.length);
    out.write(rest, 0, 2);
    out.write(icc);
    out.write(rest, 2, rest.length - 2);
    String name = photo.getFileName().toString().replace(".jpg", "") + "+" + profileOf.getFileName();
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  /** A JPEG's APP2 {@code ICC_PROFILE} segments, and the JPEG without them. */
  private record Split(byte[] icc, byte[] rest) {}

  /** Empty for anything but a JPEG. */
  private static Optional<Split> split(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return Optional.empty();
    }
    ByteArrayOutputStream icc = new ByteArrayOutputStream();
    ByteArrayOutputStream rest = new ByteArrayOutputStream(jpeg.length);
    rest.write(jpeg, 0, 2);
    int at = 2;
    // segments up to the first scan; the scan and what follows are copied as they are
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF && (jpeg[at + 1] & 0xFF) != 0xDA) {
      int length = 2 + ((jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF));
      boolean isIcc = (jpeg[at + 1] & 0xFF) == 0xE2 && new String(jpeg, at + 4, Math.min(11, jpeg.length - at - 4),
          StandardCharsets.US_ASCII).equals("ICC_PROFILE");
      (isIcc ? icc : rest).write(jpeg, at, length);
      at += length;
    }
    rest.write(jpeg, at, jpeg.length - at);
    return Optional.of(new Split(icc.toByteArray(), rest.toByteArray()));
  }

  private static List<Path> list(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
