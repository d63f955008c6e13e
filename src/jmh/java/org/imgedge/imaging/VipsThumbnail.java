package org.imgedge.imaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.imgedge.imaging.codec.Chroma;

/**
 * libvips' {@code vipsthumbnail}, the yardstick: shrink-on-load, Lanczos-3, auto-rotate, metadata stripped, at the
 * preset's quality and chroma subsampling.
 *
 * <p>Per-file time without process start: one invocation converts the photo once, another converts it
 * {@code 1 + copies} times (under distinct names, so no cache can help); the difference divided by
 * {@code copies} is what one more file costs. Each size is its own invocation, from the original.
 */
final class VipsThumbnail {

  private final Path work;
  private final int copies;
  private final int rounds;
  private final int threads;

  /** On one thread, as our pipeline is timed on one core. */
  VipsThumbnail(Path work, int copies, int rounds) {
    this(work, copies, rounds, 1);
  }

  /** @param threads {@code VIPS_CONCURRENCY} */
  VipsThumbnail(Path work, int copies, int rounds, int threads) {
    this.work = work;
    this.copies = copies;
    this.rounds = rounds;
    this.threads = threads;
  }

  static boolean available() {
    try {
      return new ProcessBuilder("vipsthumbnail", "--vips-version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** @return milliseconds per file for one preset's size, quality and chroma (median over rounds), and its output */
  Timed thumbnail(Path photo, Preset preset) throws IOException, InterruptedException {
    int box = preset.box();
    String options = "Q=" + preset.quality() + (preset.chroma() == Chroma.FULL ? ",subsample-mode=off" : "") + ",strip";
    Path dir = Files.createDirectories(work.resolve(box + "-" + photo.getFileName()));
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i <= copies; i++) {
      Path link = dir.resolve("in" + i + ".jpg");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, photo.toAbsolutePath());
      inputs.add(link);
    }
    double[] perFile = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long one = run(inputs.subList(0, 1), box, options, dir, threads);
      long many = run(inputs, box, options, dir, threads);
      perFile[r] = (many - one) / 1e6 / copies;
    }
    Arrays.sort(perFile);
    return new Timed(perFile[rounds / 2], Files.readAllBytes(dir.resolve("in0.out.jpg")));
  }

  record Timed(double ms, byte[] jpeg) {}

  private static long run(List<Path> inputs, int box, String options, Path dir, int threads)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("vipsthumbnail", "--size", box + "x" + box,
        "-o", dir + "/%s.out.jpg[" + options + "]"));
    inputs.forEach(p -> cmd.add(p.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("VIPS_CONCURRENCY", String.valueOf(threads));
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    long t = System.nanoTime() - t0;
    if (rc != 0) {
      throw new IOException("vipsthumbnail failed: " + new String(out));
    }
    return t;
  }
}
