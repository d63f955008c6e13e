package org.imgedge.imaging;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.imgedge.imaging.codec.JpegCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One upload through {@link VariantPipeline#render}: EXIF, decode, both variants, encode. Photos come from
 * {@code -Dimgedge.photos} (default {@code src/test/resources/corpus/photos}); {@code -p codec=turbo,imageio} compares codecs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {

  @Param({"apple-iphone-4s.jpg", "apple-iphone-6-plus.jpg", "leica-t-typ-701.jpg", "nokia-lumia-800.jpg",
      "samsung-sm-g935l-galaxy-s7-edge.jpg", "sony-d5403-xperia-z2.jpg"})
  public String photo;

  @Param({"turbo"})
  public String codec;

  private Path file;
  private VariantPipeline pipeline;

  @Setup
  public void setUp() {
    file = Path.of(System.getProperty("imgedge.photos", "src/test/resources/corpus/photos"), photo);
    pipeline = VariantPipeline.create(codec.equals("imageio") ? JpegCodec.imageIo() : JpegCodec.turbo());
  }

  @Benchmark
  public Rendered render() throws ImagingException {
    return pipeline.render(file, PipelineTable.PRESETS, 250_000_000L);
  }
}
