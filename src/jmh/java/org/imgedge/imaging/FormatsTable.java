package org.imgedge.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.codec.HeifDecoder;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.JpegHeader;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.imaging.codec.WebpDecoder;
import org.imgedge.metadata.ExifReader;

/**
 * Bytes and SSIM of each variant format side by side, medians over the photos: JPEG baseline (today's), JPEG
 * progressive, WebP and AVIF at the qualities given, each decoded and compared (luma SSIM, as
 * {@link PipelineTable}) with the same Lanczos-3 reference of the full-size original at the variant's size;
 * then the pipeline's time per upload, baseline against progressive. Arguments:
 * {@code [photo folder] [--webp q,q,...] [--avif q,q,...] [--time-webp q] [--reps N]}. WebP is libwebp's method
 * {@code WebpEncoder.METHOD}, as the service makes it.
 */
public final class FormatsTable {

  private FormatsTable() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    // the configured qualities (conf/config.json) and one step either side
    int[] webpQ = list(rest, "--webp", "82,83,84");
    int[] avifQ = list(rest, "--avif", "60,62,64");
    int timedWebp = list(rest, "--time-webp", "83")[0];
    int reps = (int) list(rest, "--reps", "7")[0];
    Path folder = Path.of(rest.isEmpty() ? "src/test/resources/corpus/photos" : rest.get(0));
    List<Path> photos;
    try (Stream<Path> s = Files.list(folder)) {
      photos = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList();
    }
    VariantPipeline pipeline = VariantPipeline.create(JpegCodec.turbo());
    Map<String, List<Preset>> rows = new LinkedHashMap<>();
    rows.put("JPEG q85 baseline", presets(false, Set.of(), 0, 0));
    rows.put("JPEG q85 progressive", presets(true, Set.of(), 0, 0));
    for (int q : webpQ) {
      rows.put("WebP q" + q, presets(false, Set.of(VariantFormat.WEBP), q, 0));
    }
    for (int q : avifQ) {
      rows.put("AVIF q" + q, presets(false, Set.of(VariantFormat.AVIF), 0, q));
    }
    System.out.printf(Locale.ROOT, "%d photos from %s%n%n", photos.size(), folder);
    System.out.println("| encoding | medium bytes | medium SSIM | small bytes | small SSIM |");
    System.out.println("|---|---:|---:|---:|---:|");
    Map<Path, Ssim.Luma> fulls = new LinkedHashMap<>();
    for (Path p : photos) {
      fulls.put(p, reference(p));
    }
    for (var row : rows.entrySet()) {
      VariantFormat format = row.getKey().startsWith("WebP") ? VariantFormat.WEBP
          : row.getKey().startsWith("AVIF") ? VariantFormat.AVIF : VariantFormat.JPEG;
      double[][] bytes = new double[2][photos.size()];
      double[][] ssim = new double[2][photos.size()];
      for (int i = 0; i < photos.size(); i++) {
        Rendered r = pipeline.render(photos.get(i), row.getValue(), 250_000_000L);
        for (int v = 0; v < 2; v++) {
          EncodedVariant ev = r.variants().get(v);
          byte[] file = format == VariantFormat.JPEG ? ev.jpeg() : ev.others().get(format);
          bytes[v][i] = file.length;
          RgbImage pixels = decode(format, file);
          Ssim.Luma ref = ReferenceResampler.resize(fulls.get(photos.get(i)), pixels.width(), pixels.height());
          ssim[v][i] = Ssim.of(Ssim.Luma.of(pixels), ref);
        }
      }
      System.out.printf(Locale.ROOT, "| %s | %.0f | %.4f | %.0f | %.4f |%n", row.getKey(), Table.median(bytes[0]),
          Table.median(ssim[0]), Table.median(bytes[1]), Table.median(ssim[1]));
    }
    System.out.println();
    System.out.println("SSIM: grey luma (BT.601), 11x11 Gaussian window (sigma 1.5), against Lanczos-3 in double precision"
        + " from the full-size decode, oriented; each file decoded by libjpeg-turbo, libwebp or libheif.");
    double base = timed(pipeline, photos, rows.get("JPEG q85 baseline"), reps);
    double prog = timed(pipeline, photos, rows.get("JPEG q85 progressive"), reps);
    String webpRow = "WebP q" + timedWebp;
    double webp = timed(pipeline, photos, presets(false, Set.of(VariantFormat.WEBP), timedWebp, 0), reps);
    System.out.printf(Locale.ROOT, "%npipeline time per upload, median over photos of the median of %d runs: baseline %.1f ms,"
        + " progressive %.1f ms (%.3fx), JPEG + %s %.1f ms (%.3fx)%n", reps, base, prog, prog / base, webpRow, webp, webp / base);
  }

  private static List<Preset> presets(boolean progressive, Set<VariantFormat> formats, int webpQ, int avifQ) {
    return List.of(new Preset("medium", 1000, 85, progressive, formats, webpQ, avifQ),
        new Preset("small", 400, 85, progressive, formats, webpQ, avifQ));
  }

  /** Median over photos of each photo's median time, baseline and progressive runs interleaved by the caller's order. */
  private static double timed(VariantPipeline pipeline, List<Path> photos, List<Preset> presets, int reps) throws Exception {
    for (Path p : photos) {
      pipeline.render(p, presets, 250_000_000L); // warm-up
    }
    double[] perPhoto = new double[photos.size()];
    for (int i = 0; i < photos.size(); i++) {
      double[] t = new double[reps];
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        pipeline.render(photos.get(i), presets, 250_000_000L);
        t[r] = (System.nanoTime() - t0) / 1e6;
      }
      perPhoto[i] = Table.median(t);
    }
    return Table.median(perPhoto);
  }

  private static RgbImage decode(VariantFormat format, byte[] file) throws Exception {
    return switch (format) {
      case JPEG -> {
        var h = JpegHeader.parse(file);
        yield JpegCodec.turbo().decode(file, h.width(), h.height());
      }
      case WEBP -> {
        try (WebpDecoder d = WebpDecoder.open(file)) {
          yield d.decode(d.width(), d.height(), () -> false);
        }
      }
      case AVIF -> {
        Path tmp = Files.createTempFile("bench", ".avif");
        try {
          Files.write(tmp, file);
          yield HeifFixture.decode(tmp);
        } finally {
          Files.delete(tmp);
        }
      }
    };
  }

  private static Ssim.Luma reference(Path photo) throws Exception {
    byte[] jpeg = Files.readAllBytes(photo);
    var header = JpegHeader.parse(jpeg);
    RgbImage full = JpegCodec.turbo().decode(jpeg, header.width(), header.height());
    return Ssim.Luma.of(Orient.apply(full, Orient.normalise(ExifReader.read(photo, "image/jpeg").orientation())));
  }

  private static int[] list(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    String v = fallback;
    if (i >= 0) {
      v = args.get(i + 1);
      args.remove(i + 1);
      args.remove(i);
    }
    return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
