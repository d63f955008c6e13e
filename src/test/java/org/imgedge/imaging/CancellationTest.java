package org.imgedge.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.imgedge.imaging.codec.JpegCodec;
import org.imgedge.imaging.codec.WebpDecoder;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.FlatPng;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A render told to stop does stop, part-way through a decode that would otherwise go on. */
class CancellationTest {

  private static final long LIMIT = 200_000_000;

  @TempDir
  Path tmp;

  @Test
  @DisplayName("libwebp is asked to stop between slices of the input, and stops at the first it is told to")
  void webpStopsBetweenSlices() throws Exception {
    byte[] webp = Files.readAllBytes(Corpus.file("formats", "alpha-lossless-1-.webp"));
    assertThat(webp.length).as("more than one 64 KB slice").isGreaterThan(64 * 1024);
    try (WebpDecoder decoder = WebpDecoder.open(webp)) {
      AtomicInteger asked = new AtomicInteger();
      assertThatThrownBy(() -> decoder.decode(decoder.width(), decoder.height(), () -> asked.incrementAndGet() > 1))
          .isInstanceOf(CancellationException.class);
      assertThat(asked).as("asked before the first slice and before the second").hasValue(2);
    }
    try (WebpDecoder decoder = WebpDecoder.open(webp)) {
      assertThat(decoder.decode(decoder.width(), decoder.height(), () -> false).width()).isEqualTo(decoder.width());
    }
  }

  @Test
  @DisplayName("a PNG decode told to stop ends with CANCELLED in a small part of the time the whole decode takes")
  void pngStopsPartWay() throws Exception {
    assertStopsPartWay("PNG", Files.write(tmp.resolve("huge.png"), FlatPng.rgb(14_000, 14_000)));
  }

  @Test
  @DisplayName("a HEIC decode told to stop ends with CANCELLED soon (its process is ended), and the next HEIC renders")
  void heicStopsPartWay() throws Exception {
    Path heic = Corpus.file("heic", "iphone-img-1034.heic");
    assertStopsPartWay("HEIC", heic);
    Rendered next = ImagingFixtures.pipeline(JpegCodec.best()).render(heic, ImagingFixtures.PRESETS, LIMIT);
    assertThat(next.width()).isEqualTo(4032);
  }

  private static void assertStopsPartWay(String what, Path file) throws Exception {
    VariantPipeline pipeline = ImagingFixtures.pipeline(JpegCodec.best());
    pipeline.render(file, ImagingFixtures.PRESETS, LIMIT); // warm: loads the classes, starts a HEIF process
    long start = System.nanoTime();
    pipeline.render(file, ImagingFixtures.PRESETS, LIMIT);
    long whole = System.nanoTime() - start;

    Cancellation cancellation = new Cancellation();
    start = System.nanoTime();
    long began = start;
    CompletableFuture<Rendered> render = CompletableFuture.supplyAsync(() -> {
      try {
        return pipeline.render(file, ImagingFixtures.PRESETS, LIMIT, cancellation);
      } catch (ImagingException e) {
        throw new IllegalStateException(e);
      }
    });
    // told to stop a tenth of the way in (no sleep: the decode is what takes the time)
    while (System.nanoTime() - began < whole / 10 && !render.isDone()) {
      Thread.onSpinWait();
    }
    cancellation.cancel();
    assertThatThrownBy(() -> render.get(1, TimeUnit.MINUTES)).cause().cause().isInstanceOfSatisfying(ImagingException.class,
        e -> assertThat(e.kind()).isEqualTo(ImagingException.Kind.CANCELLED));
    long stopped = System.nanoTime() - start;
    System.out.printf("cancellation: %s: the whole render takes %.0f ms; told to stop after %.0f ms, it stopped after %.0f ms%n",
        what, whole / 1e6, whole / 10 / 1e6, stopped / 1e6);
    assertThat(stopped).as("nanoseconds until it stopped").isLessThan(whole / 2);
  }
}
