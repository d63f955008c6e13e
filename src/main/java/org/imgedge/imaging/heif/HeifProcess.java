package org.imgedge.imaging.heif;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.imgedge.imaging.codec.IccProfile;
import org.imgedge.imaging.codec.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HEIF decoder process ({@link HeifProcessMain}), seen from the service: one request at a time, by the
 * one thread that took it from {@link HeifProcesses}. A process that died, or was killed part-way, is never
 * used again.
 */
public final class HeifProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HeifProcess.class);

  /**
   * The decoder's heap holds one row at a time: the pixels are libheif's, off the heap, and bounded by the
   * admission of uploads by their estimated decode memory. Startup is kept short, as a crash costs one.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-Xss512k", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto",
      // a crash leaves no hs_err file or core dump behind
      "-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash",
      // stdout carries the protocol alone: the JVM's own warnings (a thread it could not start) go to stderr
      "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr");

  /**
   * What a request may map beyond the file and the decode the upload was admitted by: libheif's own structures,
   * glibc's arenas, and a stack (8 MB reserved) for each of libheif's and libde265's decoding threads, one per core.
   */
  static final long SLACK_BYTES = (256L << 20) + (16L << 20) * Runtime.getRuntime().availableProcessors();


  /**
   * How long a request may take before its process is ended: libheif hangs on some damaged files (one with a
   * grid wider than its header says, when its allocation fails, waits forever), and an upload must get its answer.
   * A header is read in milliseconds; a decode gets 5 s and 0.5 s per declared megapixel (it takes 0.05 s per
   * megapixel on one core).
   */
  static final long PROBE_DEADLINE_MILLIS = 5_000;
  private static final long DECODE_DEADLINE_MILLIS_PER_MEGAPIXEL = 500;

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heif-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final Process process;
  private final DataOutputStream requests;
  private final DataInputStream answers;
  private final Consumer<HeifProcess> giveBack;
  private volatile boolean killed;
  private volatile boolean overran;
  /** The request under way, as the watchdog knows it; null between requests. */
  private Object current;

  private HeifProcess(Process process, Consumer<HeifProcess> giveBack) {
    this.process = process;
    this.giveBack = giveBack;
    this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    this.answers = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
  }

  /**
   * Starts a decoder on this service's own Java and class path.
   *
   * @param giveBack what {@link #close()} does: hands the process back to its pool
   */
  static HeifProcess start(Consumer<HeifProcess> giveBack) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeifProcessMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    // libheif decodes on a thread per core, and glibc would keep an arena of freed memory for each: 84 MB idle, not 63
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    return new HeifProcess(builder.start(), giveBack);
  }

  /** The displayed size as the header declares it (rotations applied), and its colour; nothing is decoded. */
  public Probe probe(Path original) throws IOException {
    return request(Protocol.PROBE, original, SLACK_BYTES, 1, PROBE_DEADLINE_MILLIS, () -> {
      Dimensions size = readSize(original);
      int primaries = answers.readInt();
      int length = answers.readInt();
      if (length < 0 || length > IccProfile.MAX_BYTES) {
        throw died(original);
      }
      byte[] icc = answers.readNBytes(length);
      if (icc.length < length) {
        throw died(original);
      }
      return new Probe(size, primaries, icc.length == 0 ? Optional.empty() : Optional.of(icc));
    });
  }

  /**
   * The whole picture, upright, in RGB, shrunk in the decoder's process by {@code shrink} on each side (each pixel
   * the mean of a block): only the shrunk picture comes into this JVM.
   *
   * @param expected    as {@link #probe} read it: the size the upload was admitted by
   * @param shrink      1 for the picture at its size, n for {@code ceil(width / n) x ceil(height / n)}
   * @param decodeBytes what the decode was admitted by; the process may map little more than this
   * @throws Refused when libheif refuses the file, or would decode another size than its header declares
   */
  public RgbImage decode(Path original, Dimensions expected, int shrink, long decodeBytes) throws IOException {
    long megapixels = (long) expected.width() * expected.height() / 1_000_000;
    return decodeWithin(original, expected, shrink, decodeBytes + SLACK_BYTES,
        PROBE_DEADLINE_MILLIS + megapixels * DECODE_DEADLINE_MILLIS_PER_MEGAPIXEL);
  }

  /** {@link #decode}, the process allowed to map {@code allowedBytes} beyond the file and to take {@code millis}. */
  RgbImage decodeWithin(Path original, Dimensions expected, int shrink, long allowedBytes, long millis)
      throws IOException {
    return request(Protocol.DECODE, original, allowedBytes, shrink, millis, () -> {
      Dimensions size = readSize(original);
      if (!size.equals(expected)) {
        // the pixels are on their way down the pipe: this process is not worth draining
        kill();
        throw new Refused("it declares " + expected.width() + "x" + expected.height() + " but decodes to " + size.width()
            + "x" + size.height());
      }
      Dimensions shrunk = size.shrunkBy(shrink);
      RgbImage image = RgbImage.allocate(shrunk.width(), shrunk.height());
      answers.readFully(image.rgb());
      return image;
    });
  }

  /**
   * Sends one request and reads its answer, within {@code millis}. An answer not read to its end (the process
   * died, overran, or this side failed part-way, even out of memory) ends the process: the next request must
   * never read the rest of this one's answer. A refusal is a whole answer.
   */
  private <T> T request(byte op, Path original, long allowedBytes, int shrink, long millis, Answer<T> answer)
      throws IOException {
    Object token = new Object();
    synchronized (this) {
      current = token;
    }
    ScheduledFuture<?> deadline = WATCHDOG.schedule(() -> overrun(token, original, millis), millis, TimeUnit.MILLISECONDS);
    boolean whole = false;
    try {
      send(op, original, allowedBytes, shrink);
      T result = answer.read();
      whole = true;
      return result;
    } catch (Refused e) {
      whole = true;
      throw e;
    } catch (Died e) {
      throw e;
    } catch (IOException e) {
      throw died(original);
    } finally {
      deadline.cancel(false);
      synchronized (this) {
        current = null;
      }
      if (!whole) {
        kill();
      }
    }
  }

  /** The watchdog: ends the process if {@code token}'s request is still the one under way. */
  private synchronized void overrun(Object token, Path original, long millis) {
    if (current != token) {
      return;
    }
    overran = true;
    log.warn("the HEIF decoder process took more than {} ms on {}; it is stopped and the upload refused as corrupt", millis,
        original.getFileName());
    kill();
  }

  /** Reads one answer. */
  private interface Answer<T> {
    T read() throws IOException;
  }

  /** Stops the process now: the request under way, if any, ends in {@link Died}. Any thread may call it. */
  public void kill() {
    killed = true;
    process.destroyForcibly();
  }

  /** For tests that end the process from outside, as a crash would. */
  long pid() {
    return process.pid();
  }

  boolean usable() {
    return !killed && process.isAlive();
  }

  /** Done with it: back to the pool, which keeps it only if it is still usable. */
  @Override
  public void close() {
    giveBack.accept(this);
  }

  private void send(byte op, Path original, long allowedBytes, int shrink) throws IOException {
    requests.writeByte(op);
    requests.writeUTF(original.toAbsolutePath().toString());
    requests.writeLong(allowedBytes);
    requests.writeInt(shrink);
    requests.flush();
  }

  /** The start of every answer: OK and the size, or a refusal. */
  private Dimensions readSize(Path original) throws IOException {
    byte status = answers.readByte();
    if (status == Protocol.REFUSED) {
      throw new Refused(answers.readUTF());
    }
    if (status != Protocol.OK) {
      // a crashing JVM writes its report where the answer should be
      throw died(original);
    }
    return new Dimensions(answers.readInt(), answers.readInt());
  }

  private Died died(Path original) {
    if (killed) {
      return new Died(overran ? "the HEIF decoder process overran its deadline" : "the HEIF decoder process was stopped");
    }
    String exit = "unknown";
    try {
      // a crashing JVM closes its streams before it has finished dying: give it a moment to tell how it ended
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        exit = String.valueOf(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(); // never handed out again: a process that is dying may still look alive for a moment
    // not a service failure: one file crashed its own process, the upload gets 422 and the next decode a new process
    log.warn("the HEIF decoder process crashed on {} (exit code {}); the upload is refused as corrupt", original.getFileName(), exit);
    return new Died("the HEIF decoder process crashed (exit code " + exit + ")");
  }

  /** The displayed size of a HEIF's primary image. */
  public record Dimensions(int width, int height) {

    /** The size of the picture {@link #decode} hands over when told to shrink it by {@code factor}. */
    public Dimensions shrunkBy(int factor) {
      return new Dimensions(ShrunkAnswer.shrunk(width, factor), ShrunkAnswer.shrunk(height, factor));
    }
  }

  /**
   * A HEIF's primary image as its header describes it.
   *
   * @param nclxPrimaries ITU-T H.273 colour primaries of its {@code nclx} box (12 is Display P3), 0 without one
   * @param icc           the ICC profile of its {@code colr} box, if any
   */
  public record Probe(Dimensions size, int nclxPrimaries, Optional<byte[]> icc) {

    /** H.273's code for the P3 primaries with a D65 white (SMPTE EG 432-1): Display P3. */
    public static final int DISPLAY_P3 = 12;
  }

  /** libheif read the file and refused it: the bytes are bad, the process is fine. */
  public static final class Refused extends IllegalArgumentException {
    Refused(String libheifMessage) {
      super(libheifMessage);
    }
  }

  /** The process ended mid-request: libheif crashed on the file, or the service killed it. */
  public static final class Died extends IOException {
    Died(String message) {
      super(message);
    }
  }
}
