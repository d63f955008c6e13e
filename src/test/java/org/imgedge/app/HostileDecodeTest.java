package org.imgedge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.imgedge.testing.Backend;
import org.imgedge.testing.FlatPng;
import org.imgedge.testing.ServiceClient;
import org.imgedge.testing.ServiceClient.Answer;
import org.imgedge.testing.ServiceProcess;
import org.imgedge.testing.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid images that declare far more pixels than their bytes: each is answered within its bound, and the
 * service's memory (its peak resident set during the test, read from {@code /proc/<pid>/status} of the
 * service's own process, on the JVM's default heap) stays bounded. Prints time and peak RSS for each.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
// The HEIC cases first: 16 noisy WebPs after them took the service to 2,118 MB while a decoded HEIC still came
// into its heap whole (588 MB), so the others must keep their bounds on a service that has just decoded HEICs.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileDecodeTest {

  private static final int SIDE = 14_000;
  private static final long MB = 1024 * 1024;
  /** Before every case left unordered (those run at JUnit's default order of 2^30). */
  private static final int HEIC_FIRST = 1;

  @TempDir
  static Path storage;
  private static ServiceProcess service;
  private static ServiceClient client;

  @BeforeAll
  static void start() {
    // Four workers, as on a four-core machine: more decodes at once than this machine's two cores would run,
    // so the memory budget, not the worker count, is what bounds them. An upload still waiting after 25 s is
    // answered 503, well inside the client's 60 s: at the service's default of 60 s the two raced, and a burst
    // slowed by other work on the machine ended in a client timeout instead of an answer. 25 s, not more: the
    // bursts of HEICs and noisy WebPs are decoded one at a time, and would otherwise spend CI's minutes waiting
    // for a 503; the slowest single decode here (a HEIC) takes about 10 s.
    service = ServiceProcess.start(storage, Backend.embedded(), new JsonObject().put("imaging",
        new JsonObject().put("workers", 4).put("timeoutSeconds", 25)));
    client = new ServiceClient(service::uri);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    service.kill();
  }

  @Test
  @DisplayName("a 38-byte lossless WebP of 14000x14000 is answered 201 within 5 s")
  void tinyHugeWebp() throws IOException {
    assertThat(upload("lossless WebP", hostile("lossless-14000x14000.webp"), "image/webp").seconds()).isLessThan(5.0);
  }

  @Test
  @DisplayName("a 1 MB lossless WebP of 14000x14000 with noise is answered 201 within 10 s, RSS rising under 1 GB")
  void noisyHugeWebp() throws IOException {
    Measured m = upload("lossless WebP with noise", hostile("lossless-noise-14000x14000.webp"), "image/webp");
    assertThat(m.seconds()).isLessThan(10.0);
    assertThat(m.rssRise()).as("RSS rise in bytes: libwebp holds the whole picture, 784 MB").isLessThan(1024 * MB);
  }

  @Test
  @DisplayName("16 noisy 14000x14000 WebPs at once (784 MB of decode each) are answered 201 or 503, and RSS stays under 2 GB")
  void sixteenNoisyWebps() throws Exception {
    List<byte[]> copies = distinctCopies(hostile("lossless-noise-14000x14000.webp"));
    assertThat(allAtOnce("noisy 14000x14000 lossless WebPs", copies, "image/webp")).contains(201);
  }

  @Test
  @DisplayName("a 14000x14000 PNG raises the service's RSS by under 512 MB")
  void hugePng() {
    assertThat(upload("RGB PNG", FlatPng.rgb(SIDE, SIDE), "image/png").rssRise()).as("RSS rise in bytes").isLessThan(512 * MB);
    assertThat(openFilesUnder(storage)).as("files of the service's storage it still holds open after answering").isEmpty();
  }

  @Test
  @DisplayName("a 14000x14000 GIF raises the service's RSS by under 512 MB")
  void hugeGif() throws IOException {
    // one bit a pixel, all of it one colour: LZW takes it to about 130 KB
    IndexColorModel blackWhite = new IndexColorModel(1, 2, new byte[] {0, (byte) 255}, new byte[] {0, (byte) 255},
        new byte[] {0, (byte) 255});
    ByteArrayOutputStream gif = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_BINARY, blackWhite), "gif", gif);
    assertThat(upload("GIF", gif.toByteArray(), "image/gif").rssRise()).as("RSS rise in bytes").isLessThan(512 * MB);
  }

  /**
   * libheif decodes in processes of the service's own, and cannot shrink on load: the whole picture, 784 MB of
   * RGBA, exists in a decoder process, which shrinks it before it hands it over (to 2000x2000, twice the largest
   * preset).
   */
  @Test
  @Order(HEIC_FIRST)
  @DisplayName("a 117 KB HEIC of 14000x14000 is answered 201 within 30 s, the service's RSS rising under 256 MB")
  void hugeHeic() throws Exception {
    Measured m = upload("HEIC", hostile("hevc-14000x14000.heic"), "image/heic");
    System.out.printf("hostile: HEIC decoder processes' peak RSS %s MB%n", decoderPeaks());
    assertThat(m.seconds()).isLessThan(30.0);
    assertThat(m.rssRise()).as("RSS rise in bytes: the service holds the shrunk picture, 12 MB").isLessThan(256 * MB);
  }

  @Test
  @Order(HEIC_FIRST)
  @DisplayName("16 HEICs of 14000x14000 at once are answered 201 or 503, and the service and its decoders together"
      + " stay under 2 GB")
  void sixteenHeics() throws Exception {
    List<Integer> statuses = allAtOnce("14000x14000 HEICs", distinctCopies(hostile("hevc-14000x14000.heic")), "image/heic");
    List<Long> decoders = decoderPeaks();
    System.out.printf("hostile: HEIC decoder processes' peak RSS %s MB%n", decoders);
    assertThat(statuses).contains(201);
    assertThat(peakRss() / MB + decoders.stream().mapToLong(Long::longValue).sum())
        .as("MB: the service's peak RSS and its decoder processes' peaks, added").isLessThan(2048);
  }

  /**
   * 16 copies of a WebP or HEIF file, each different so that none is answered as a repeat of another: the i-th
   * ends with an ISO BMFF {@code free} box of 8 + i bytes, which HEIF readers skip and WebP readers never reach
   * (it follows the RIFF chunk).
   */
  private static List<byte[]> distinctCopies(byte[] file) {
    List<byte[]> copies = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] copy = java.util.Arrays.copyOf(file, file.length + 8 + i);
      java.nio.ByteBuffer.wrap(copy, file.length, 8).putInt(8 + i).put("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      copies.add(copy);
    }
    return copies;
  }

  /** The peak RSS of each of the service's child processes (its HEIF decoders), in MB. */
  private static List<Long> decoderPeaks() {
    return service.process().children().map(child -> statusField(child.pid(), "VmHWM") / MB).toList();
  }

  private record Measured(double seconds, long rssRise) {}

  /** Uploads one 14000x14000 image, expects 201, and prints and returns its time and the service's RSS rise. */
  private static Measured upload(String what, byte[] body, String type) {
    long before = currentRss();
    long start = System.nanoTime();
    Answer answer = client.uploadRaw(TestApp.ALICE, body, type);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("hostile: %d-byte 14000x14000 %s: %d in %.2f s, service RSS %d MB before, peak %d MB%n",
        body.length, what, answer.status(), seconds, before / MB, peakRss() / MB);
    assertThat(answer.status()).as("%s", answer).isEqualTo(201);
    return new Measured(seconds, peakRss() - before);
  }

  private static byte[] hostile(String name) throws IOException {
    try (InputStream in = HostileDecodeTest.class.getResourceAsStream("/hostile/" + name)) {
      return in.readAllBytes();
    }
  }

  /** What the service's descriptors point at under {@code dir} (a deleted file shows with its old path). */
  private static List<String> openFilesUnder(Path dir) {
    List<String> open = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc", String.valueOf(service.process().pid()), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          // the database and the service's own log stay open, as they should
          if (target.startsWith(dir.toString()) && !target.matches(".*\\.(db|db-wal|db-shm|log)$")) {
            open.add(target);
          }
        } catch (IOException gone) {
          // closed while we listed
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list the service's descriptors", e);
    }
    return open;
  }

  @Test
  @DisplayName("16 14000x14000 PNGs at once (RGB and 16-bit RGBA) are answered 201 or 503, and RSS stays under 2 GB")
  void sixteenAtOnce() throws Exception {
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      // each different (one more row), so no upload is answered from another as a repeat
      pngs.add(i % 2 == 0 ? FlatPng.rgb(SIDE, SIDE + i) : FlatPng.rgba16(SIDE, SIDE + i));
    }
    allAtOnce("14000x14000 PNGs", pngs, "image/png");
  }

  /**
   * Sends every body at once, and expects each to be answered 201 or 503 with the service's peak RSS under
   * 2 GB; prints the statuses, the time and the peak.
   */
  private static List<Integer> allAtOnce(String what, List<byte[]> bodies, String type) throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<Answer>> uploads = new ArrayList<>();
    for (byte[] body : bodies) {
      uploads.add(CompletableFuture.supplyAsync(() -> client.uploadRaw(TestApp.BOB, body, type)));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Answer> upload : uploads) {
      statuses.add(upload.get(150, TimeUnit.SECONDS).status());
    }
    System.out.printf("hostile: %d concurrent %s: statuses %s in %.1f s, service peak RSS %d MB%n", bodies.size(), what,
        statuses, (System.nanoTime() - start) / 1e9, peakRss() / MB);
    assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(201, 503));
    assertThat(peakRss()).isLessThan(2048 * MB);
    return statuses;
  }


  /**
   * Each test reads its own peaks: resets the VmHWM of the service and of its decoder processes to their current RSS
   * (Linux 4.0+, clear_refs 5).
   */
  @BeforeEach
  void resetPeakRss() throws IOException {
    for (long pid : Stream.concat(Stream.of(service.process().pid()), service.process().children().map(ProcessHandle::pid))
        .toList()) {
      Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
    }
  }

  private static long peakRss() {
    return statusField("VmHWM");
  }

  private static long currentRss() {
    return statusField("VmRSS");
  }

  private static long statusField(String field) {
    return statusField(service.process().pid(), field);
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read the service's memory figures", e);
    }
    throw new AssertionError(field + " missing from /proc status");
  }
}
