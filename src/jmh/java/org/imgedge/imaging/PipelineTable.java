package org.imgedge.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.Chroma;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.metadata.ExifReader;

/**
 * One run, one table: per photo and as medians, the time per upload, SSIM of each variant against a
 * full-resolution floating-point Lanczos-3 reference, and bytes per variant, for our pipeline on libjpeg-turbo,
 * the same pipeline on the ImageIO fallback, and {@code vipsthumbnail}; ratios are against vips.
 *
 * <p>Run it pinned to one core ({@code bench/pipeline.sh} does): times are single-threaded costs.
 * Arguments: {@code [photo folder] [--reps N] [--no-vips] [--no-imageio] [--no-memory]}.
 */
public final class PipelineTable {

  /** The default presets' JPEGs (conf/config.json). */
  static final Preset MEDIUM = new Preset("medium", 1000, 85);
  static final Preset SMALL = new Preset("small", 400, 78, false, Set.of(VariantFormat.JPEG), 0, 0, Chroma.FULL);
  static final List<Preset> PRESETS = List.of(MEDIUM, SMALL);

  private PipelineTable() {}

  record Run(double ms, byte[] medium, byte[] small) {}

  record Cell(double ms, long mediumBytes, long smallBytes, double ssimMedium, double ssimSmall) {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int reps = intOption(rest, "--reps", 11);
    boolean vips = !rest.remove("--no-vips") && VipsThumbnail.available();
    boolean imageIo = !rest.remove("--no-imageio");
    boolean memory = !rest.remove("--no-memory");
    Path folder = Path.of(rest.isEmpty() ? "src/test/resources/corpus/photos" : rest.get(0));
    List<Path> photos = jpegs(folder);
    System.out.printf(Locale.ROOT, "%d photos from %s; %d available processor(s); %d timed runs per photo%n",
        photos.size(), folder, Runtime.getRuntime().availableProcessors(), reps);

    Map<String, Map<Path, Run>> runs = new LinkedHashMap<>();
    runs.put("ours (turbo)", time(Engine.pipeline("turbo", VariantPipeline.create(JpegCodec.turbo()), PRESETS),
        photos, 3, reps));
    if (imageIo) {
      runs.put("ImageIO", time(Engine.pipeline("imageio", VariantPipeline.create(JpegCodec.imageIo()), PRESETS),
          photos, 1, Math.max(3, reps / 2)));
    }
    if (vips) {
      runs.put("vipsthumbnail", vips(photos));
    } else {
      System.out.println("vipsthumbnail not run (missing, or --no-vips): apt-get install -y libvips-tools");
    }

    Map<String, Map<Path, Cell>> cells = new LinkedHashMap<>();
    runs.keySet().forEach(k -> cells.put(k, new LinkedHashMap<>()));
    Map<Path, Double> megapixels = new HashMap<>();
    for (Path photo : photos) {
      Ssim.Luma full = referenceSource(photo);
      megapixels.put(photo, full.width() * (double) full.height() / 1e6);
      Map<String, Ssim.Luma> references = new HashMap<>();
      for (var e : runs.entrySet()) {
        Run run = e.getValue().get(photo);
        cells.get(e.getKey()).put(photo, new Cell(run.ms, run.medium.length, run.small.length,
            ssim(run.medium, full, references), ssim(run.small, full, references)));
      }
    }
    System.out.println();
    System.out.print(Table.markdown(photos, megapixels, cells, vips ? "vipsthumbnail" : null));
    System.out.println();
    System.out.println("SSIM: grey luma (BT.601), 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, against"
        + " Lanczos-3 in double precision from the full-size decode, oriented, not JPEG-encoded.");
    if (memory) {
      BigJpegs.report(Path.of("target/bench"), PRESETS);
    }
  }

  /** Warm-up rounds over every photo, then {@code reps} rounds; each photo's time is its median. */
  private static Map<Path, Run> time(Engine engine, List<Path> photos, int warmups, int reps) throws Exception {
    for (int i = 0; i < warmups; i++) {
      for (Path p : photos) {
        engine.make(p);
      }
    }
    Map<Path, double[]> times = new HashMap<>();
    Map<Path, List<byte[]>> outputs = new HashMap<>();
    for (int r = 0; r < reps; r++) {
      for (Path p : photos) {
        long t0 = System.nanoTime();
        List<byte[]> out = engine.make(p);
        times.computeIfAbsent(p, k -> new double[reps])[r] = (System.nanoTime() - t0) / 1e6;
        outputs.put(p, out);
      }
    }
    Map<Path, Run> result = new LinkedHashMap<>();
    for (Path p : photos) {
      result.put(p, new Run(Table.median(times.get(p)), outputs.get(p).get(0), outputs.get(p).get(1)));
    }
    return result;
  }

  private static Map<Path, Run> vips(List<Path> photos) throws Exception {
    Path work = Files.createDirectories(Path.of("target/bench/vips").toAbsolutePath());
    VipsThumbnail v = new VipsThumbnail(work, 4, 3);
    Map<Path, Run> result = new LinkedHashMap<>();
    for (Path p : photos) {
      VipsThumbnail.Timed m = v.thumbnail(p, MEDIUM);
      VipsThumbnail.Timed s = v.thumbnail(p, SMALL);
      result.put(p, new Run(m.ms() + s.ms(), m.jpeg(), s.jpeg()));
    }
    return result;
  }

  /** The original decoded at full size (DCT scale 1/1), made upright, as luma. */
  private static Ssim.Luma referenceSource(Path photo) throws Exception {
    byte[] jpeg = Files.readAllBytes(photo);
    var header = org.imgedge.imaging.codec.JpegHeader.parse(jpeg);
    RgbImage full = JpegCodec.turbo().decode(jpeg, header.width(), header.height());
    int orientation = Orient.normalise(ExifReader.read(photo, "image/jpeg").orientation());
    return Ssim.Luma.of(Orient.apply(full, orientation));
  }

  private static double ssim(byte[] variant, Ssim.Luma full, Map<String, Ssim.Luma> references) throws Exception {
    var header = org.imgedge.imaging.codec.JpegHeader.parse(variant);
    RgbImage pixels = JpegCodec.turbo().decode(variant, header.width(), header.height());
    Ssim.Luma reference = references.computeIfAbsent(pixels.width() + "x" + pixels.height(),
        k -> ReferenceResampler.resize(full, pixels.width(), pixels.height()));
    return Ssim.of(Ssim.Luma.of(pixels), reference);
  }

  private static List<Path> jpegs(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      List<Path> list = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"))
          .sorted().toList();
      if (list.isEmpty()) {
        throw new IllegalArgumentException("no .jpg files in " + folder);
      }
      return list;
    }
  }

  private static int intOption(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    int v = Integer.parseInt(args.get(i + 1));
    args.remove(i + 1);
    args.remove(i);
    return v;
  }
}
