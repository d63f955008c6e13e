package org.imgedge.imaging.heif;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * The HEIF decoder processes of this JVM. libheif runs in processes of its own because a crash in it must cost
 * one upload, not the service: Debian's 1.15.1-1+deb12u1 crashed on a tile grid declaring 30000x30000 (four
 * changed bytes of an iPhone photo), and its security update of December 2026 lists eight memory-safety fixes.
 *
 * <p>At most one process per core, plus one, so a header probe at an upload's inspection rarely waits for a
 * decode. An idle process is kept for the next file (starting one costs about 0.4 s); each holds about
 * 60 MB while idle.
 */
public final class HeifProcesses {

  private static final HeifProcesses SHARED = new HeifProcesses(Runtime.getRuntime().availableProcessors() + 1);

  private final Semaphore running;
  private final ConcurrentLinkedDeque<HeifProcess> idle = new ConcurrentLinkedDeque<>();

  private HeifProcesses(int max) {
    this.running = new Semaphore(max);
  }

  public static HeifProcesses shared() {
    return SHARED;
  }

  /**
   * Blocking: an idle process, or a new one; waits while all are busy. Close it when done.
   *
   * @throws IOException when no process can be started
   */
  public HeifProcess take() throws IOException {
    running.acquireUninterruptibly();
    try {
      for (HeifProcess p = idle.pollFirst(); p != null; p = idle.pollFirst()) {
        if (p.usable()) {
          return p;
        }
      }
      return HeifProcess.start(this::giveBack);
    } catch (IOException | RuntimeException e) {
      running.release();
      throw e;
    }
  }

  private void giveBack(HeifProcess process) {
    if (process.usable()) {
      idle.addFirst(process);
    } else {
      process.kill();
    }
    running.release();
  }
}
