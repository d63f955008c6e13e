package org.imgedge.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Admits uploads to the imaging workers by the memory their decodes will hold (estimated from the header)
 * against a budget, and bounds how many are processed or waiting. An upload whose decode does not fit
 * waits its turn, in order of arrival; past the bound one is refused at once (503) instead of queueing
 * without limit: a client can retry, a server out of memory cannot.
 *
 * <p>Shared by every event loop, so its state is guarded by the object itself; a waiting upload is let in
 * on its own context.
 */
public final class Admission {

  /** What an admitted upload holds until it {@link #leave}s. */
  public static final class Ticket {
    private final long bytes;

    private Ticket(long bytes) {
      this.bytes = bytes;
    }
  }

  private record Waiting(long bytes, Context context, Promise<Ticket> promise) {}

  /** Reserved for a decode of unknown or tiny size, so every admitted upload counts against the budget. */
  private static final long LEAST = 1 << 20;

  private final int limit;
  private final long budgetBytes;
  private int admitted;
  private long reserved;
  private final Deque<Waiting> waiting = new ArrayDeque<>();

  /**
   * @param limit       uploads processed or waiting at once
   * @param budgetBytes the decode memory that may be held at once; a single estimate above it is let in
   *                    alone
   */
  public Admission(int limit, long budgetBytes) {
    this.limit = limit;
    this.budgetBytes = budgetBytes;
  }

  /**
   * @return null when {@code limit} uploads are already in; otherwise a ticket, at once when the
   *     estimate fits the budget and no one waits before it, or later when enough is freed
   */
  public synchronized Future<Ticket> enter(long estimatedBytes) {
    if (admitted >= limit) {
      return null;
    }
    admitted++;
    long bytes = Math.min(Math.max(estimatedBytes, LEAST), budgetBytes);
    if (waiting.isEmpty() && reserved + bytes <= budgetBytes) {
      reserved += bytes;
      return Future.succeededFuture(new Ticket(bytes));
    }
    Promise<Ticket> promise = Promise.promise();
    waiting.add(new Waiting(bytes, Vertx.currentContext(), promise));
    return promise.future();
  }

  /**
   * For an upload that stops waiting before its turn.
   *
   * @return false when it was let in meanwhile: it holds a ticket and must {@link #leave}
   */
  public synchronized boolean withdraw(Future<Ticket> entry) {
    if (waiting.removeIf(w -> w.promise.future() == entry)) {
      admitted--;
      return true;
    }
    return false;
  }

  public void leave(Ticket ticket) {
    List<Waiting> letIn = new ArrayList<>();
    synchronized (this) {
      admitted--;
      reserved -= ticket.bytes;
      while (!waiting.isEmpty() && reserved + waiting.peek().bytes <= budgetBytes) {
        Waiting next = waiting.poll();
        reserved += next.bytes;
        letIn.add(next);
      }
    }
    for (Waiting w : letIn) {
      Ticket t = new Ticket(w.bytes);
      if (w.context == null) {
        w.promise.complete(t);
      } else {
        w.context.runOnContext(v -> w.promise.complete(t));
      }
    }
  }

  /** Uploads being processed or waiting, for the metrics. */
  public synchronized int inFlight() {
    return admitted;
  }

  /** Decode memory reserved by admitted uploads, for the metrics. */
  public synchronized long reservedBytes() {
    return reserved;
  }
}
