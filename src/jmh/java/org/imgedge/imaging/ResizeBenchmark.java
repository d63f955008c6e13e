package org.imgedge.imaging;

import java.util.concurrent.TimeUnit;
import org.imgedge.imaging.codec.RgbImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The resampler alone, on the raster a 12 MP 4:3 photo decodes to at DCT scale 1/2: medium, then small from it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResizeBenchmark {

  private RgbImage decoded;
  private RgbImage medium;
  private RgbImage tall;

  @Setup
  public void setUp() {
    decoded = BigJpegs.synthetic(2016, 1512);
    medium = Lanczos3Resampler.resize(decoded, 1000, 750);
    tall = Lanczos3Resampler.resize(decoded, 2016, 750);
  }

  @Benchmark
  public RgbImage medium() {
    return Lanczos3Resampler.resize(decoded, 1000, 750);
  }

  @Benchmark
  public RgbImage verticalOnly() {
    return Lanczos3Resampler.resize(decoded, 2016, 750);
  }

  @Benchmark
  public RgbImage horizontalOnly() {
    return Lanczos3Resampler.resize(tall, 1000, 750);
  }

  @Benchmark
  public RgbImage smallFromMedium() {
    return Lanczos3Resampler.resize(medium, 400, 300);
  }
}
