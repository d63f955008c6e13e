package org.imgedge.cache;

import java.util.concurrent.TimeUnit;

/**
 * Whether this node's memory tier may answer, when nodes share Redis. Memory holds variants another
 * node may have deleted a moment ago; that node's delete reaches this one as a pub/sub message. Each node
 * also publishes a heartbeat on the same channel every {@link #BEAT_MILLIS} and listens for its own.
 * Redis delivers a channel's messages in the order it took them, so a node that has heard its own beat
 * sent at time t has also heard every delete published before t. Memory is trusted only while the
 * latest beat heard was sent less than {@link #WINDOW_MILLIS} ago.
 *
 * <p>A delete therefore waits for the acknowledgements of every node subscribed when it published, but
 * never longer than {@link #ACK_WAIT_MILLIS}: by then a node that did not answer (paused, cut off from
 * Redis, its subscription broken) has stopped trusting its memory, so no node serves the image from
 * memory once the DELETE has answered. The read path pays one volatile read and a clock read.
 */
final class MemoryFence {

  static final long BEAT_MILLIS = 250;
  static final long WINDOW_MILLIS = 1_000;
  /** The window, and the longest gap between two checks of it (one beat), with room to spare. */
  static final long ACK_WAIT_MILLIS = WINDOW_MILLIS + 2 * BEAT_MILLIS;

  /** A single node without Redis: no other node can delete behind its back. */
  static final MemoryFence ALWAYS_OPEN = new MemoryFence(true);

  private final boolean alwaysOpen;
  /** System.nanoTime() until which memory may answer; starts closed, until the first beat is heard. */
  private volatile long openUntilNanos = System.nanoTime();

  MemoryFence() {
    this(false);
  }

  private MemoryFence(boolean alwaysOpen) {
    this.alwaysOpen = alwaysOpen;
  }

  boolean open() {
    return alwaysOpen || openUntilNanos - System.nanoTime() > 0;
  }

  /** Heard this node's own beat, which it sent at {@code sentNanos} (its System.nanoTime()). */
  void heardBeat(long sentNanos) {
    long until = sentNanos + TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
    if (until - openUntilNanos > 0) {
      openUntilNanos = until;
    }
  }

  /** The subscription broke: stop trusting memory now rather than when the window runs out. */
  void close() {
    openUntilNanos = System.nanoTime();
  }
}
