package org.imgedge.ingest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the uploads being processed or waiting for a worker. Past the bound an upload is refused at
 * once (503) instead of queueing without limit: a client can retry, a server out of memory cannot.
 */
public final class Admission {

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  public Admission(int limit) {
    this.limit = limit;
  }

  public boolean tryEnter() {
    while (true) {
      int n = inFlight.get();
      if (n >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void leave() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }
}
