package org.imgedge.imaging.heif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.RgbImage;
import org.imgedge.testing.Corpus;
import org.imgedge.testing.HostileHeif;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libheif in its own process: what a crash, a lying header or a decode past its memory cost, and what they do not. */
class HeifProcessTest {

  private static final Path PORTRAIT = Corpus.file("heic", "iphone-img-2927.heic");
  /** The longest decode of the corpus (5472x3648, about a second). */
  private static final Path AVIF = Corpus.file("formats", "sample.avif");

  @TempDir
  Path tmp;

  @Test
  @DisplayName("the header's size is read without a decode, and the decode is upright at that size")
  void probesThenDecodes() throws Exception {
    try (HeifProcess process = HeifProcesses.shared().take()) {
      HeifProcess.Dimensions size = process.probe(PORTRAIT).size();
      assertThat(size).isEqualTo(new HeifProcess.Dimensions(3024, 4032));
      RgbImage image = process.decode(PORTRAIT, size, 1, 3024L * 4032 * 10);
      assertThat(image.width()).isEqualTo(3024);
      assertThat(image.height()).isEqualTo(4032);
    }
  }

  @Test
  @DisplayName("a shrunk decode is the full one averaged over blocks, the blocks at the right and bottom edges"
      + " partial: only the shrunk picture crosses into the service")
  void shrinksInItsProcess() throws Exception {
    RgbImage full = portrait(1);
    int factor = 5; // 3024 and 4032 are no multiples of 5: both edges have partial blocks
    RgbImage shrunk = portrait(factor);
    assertThat(shrunk.width()).isEqualTo(605);
    assertThat(shrunk.height()).isEqualTo(807);
    for (int y = 0; y < shrunk.height(); y++) {
      for (int x = 0; x < shrunk.width(); x++) {
        for (int c = 0; c < 3; c++) {
          int got = shrunk.rgb()[(y * shrunk.width() + x) * 3 + c] & 0xff;
          int mean = blockMean(full, factor, x, y, c);
          if (got != mean) { // one assertion for the 1.5 million samples, not one each
            throw new AssertionError("pixel " + x + "," + y + " channel " + c + ": " + got + ", the block's mean is " + mean);
          }
        }
      }
    }
  }

  /** The portrait, decoded by a process of the pool and shrunk by {@code factor}. */
  private static RgbImage portrait(int factor) throws IOException {
    try (HeifProcess process = HeifProcesses.shared().take()) {
      return process.decode(PORTRAIT, process.probe(PORTRAIT).size(), factor, 3024L * 4032 * 10);
    }
  }

  /** Channel {@code c}'s mean, rounded, over the block of {@code full} that shrinks to pixel (x, y). */
  private static int blockMean(RgbImage full, int factor, int x, int y, int c) {
    int sum = 0;
    int count = 0;
    for (int fy = y * factor; fy < Math.min(full.height(), (y + 1) * factor); fy++) {
      for (int fx = x * factor; fx < Math.min(full.width(), (x + 1) * factor); fx++) {
        sum += full.rgb()[(fy * full.width() + fx) * 3 + c] & 0xff;
        count++;
      }
    }
    return (sum + count / 2) / count;
  }

  @Test
  @DisplayName("an iPhone HEIC's colr profile comes with the probe, and is Display P3")
  void probeReadsTheProfile() throws Exception {
    try (HeifProcess process = HeifProcesses.shared().take()) {
      HeifProcess.Probe probe = process.probe(PORTRAIT);
      assertThat(probe.icc()).isPresent();
      try (IccProfile profile = IccProfile.parseRgb(probe.icc().get()).orElseThrow()) {
        assertThat(profile.space()).isEqualTo(IccProfile.Space.DISPLAY_P3);
      }
    }
  }

  @Test
  @DisplayName("a decoder process that dies mid-decode, as a crash in libheif ends it, costs that decode only: Died,"
      + " and the next process decodes")
  void deathEndsTheProcessOnly() throws Exception {
    try (HeifProcess process = HeifProcesses.shared().take()) {
      HeifProcess.Dimensions size = process.probe(AVIF).size();
      // Killed from outside, not through kill(): to the service this is a process that crashed. (Debian's libheif
      // 1.15.1-1+deb12u1 crashed on HostileHeif.gridDeclaring(30000, 30000); the security update refuses it.)
      CompletableFuture<RgbImage> decode = CompletableFuture.supplyAsync(() -> {
        try {
          return process.decode(AVIF, size, 1, (long) size.width() * size.height() * 10);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      ProcessHandle.of(process.pid()).orElseThrow().destroyForcibly();
      assertThatThrownBy(() -> decode.get(1, TimeUnit.MINUTES)).cause().cause().isInstanceOf(HeifProcess.Died.class)
          .hasMessageContaining("crashed");
      assertThat(process.usable()).isFalse();
    }
    probesThenDecodes();
  }

  @Test
  @DisplayName("a decode past its deadline ends its process: Died, and the next process decodes")
  void overrunEndsTheProcess() throws Exception {
    try (HeifProcess process = HeifProcesses.shared().take()) {
      HeifProcess.Dimensions size = process.probe(PORTRAIT).size();
      long start = System.nanoTime();
      assertThatThrownBy(() -> process.decodeWithin(PORTRAIT, size, 1, 3024L * 4032 * 10, 1))
          .isInstanceOf(HeifProcess.Died.class).hasMessageContaining("deadline");
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms until it was stopped").isLessThan(2_000);
    }
    probesThenDecodes();
  }

  @Test
  @DisplayName("a HEIC that decodes to another size than its header declares is refused before its pixels are taken")
  void refusesAnotherSizeThanDeclared() throws Exception {
    Path liar = Files.write(tmp.resolve("liar.heic"), HostileHeif.withIspe(Corpus.bytes(Corpus.file("heic",
        "iphone-img-1034.heic")), new int[] {4032, 3024}, new int[] {100, 75}));
    try (HeifProcess process = HeifProcesses.shared().take()) {
      HeifProcess.Dimensions size = process.probe(liar).size();
      assertThat(size).isEqualTo(new HeifProcess.Dimensions(100, 75));
      assertThatThrownBy(() -> process.decode(liar, size, 1, 100 * 75 * 10L)).isInstanceOf(HeifProcess.Refused.class)
          .hasMessageContaining("4032x3024");
    }
  }

  @Test
  @DisplayName("a decode allowed less address space than its picture needs fails (libheif refuses it, or its process"
      + " ends), and the next decode works")
  void decodeIsHeldToItsAddressSpace() throws Exception {
    assertThat(AddressSpaceLimitProbe.bound()).as("RLIMIT_AS can be set here").isTrue();
    // A new process, not one from the pool: the limit counts what a request maps beyond what the process already
    // maps, and glibc keeps the memory of an earlier decode mapped for the next one to reuse.
    try (HeifProcess process = HeifProcess.start(HeifProcess::kill)) {
      HeifProcess.Dimensions size = process.probe(PORTRAIT).size();
      // the picture alone is 3024 x 4032 x 4 bytes (49 MB) in libheif's RGBA
      Throwable failed = catchThrowable(() -> process.decodeWithin(PORTRAIT, size, 1, 16L << 20, 10_000));
      System.out.println("heif process: a 12 MP decode held to 16 MB: " + failed);
      assertThat(failed).isInstanceOfAny(HeifProcess.Refused.class, HeifProcess.Died.class);
      if (failed instanceof HeifProcess.Refused) {
        assertThat(process.usable()).as("the limit is lifted after the request").isTrue();
        assertThat(process.decode(PORTRAIT, size, 1, 3024L * 4032 * 10).width()).isEqualTo(3024);
      }
    }
    probesThenDecodes();
  }

  /** Whether this JVM could bind libc's rlimit calls, as the decoder process does. */
  private static final class AddressSpaceLimitProbe {
    static boolean bound() {
      return AddressSpaceLimit.LOAD_FAILURE == null;
    }
  }
}
