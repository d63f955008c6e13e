package org.imgedge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Admission by decode memory and by count. */
class AdmissionTest {

  private static final long MB = 1 << 20;

  @Test
  @DisplayName("a decode that does not fit the budget waits, and is let in when enough is freed")
  void waitsForMemory() {
    Admission admission = new Admission(10, 100 * MB);
    Future<Admission.Ticket> big = admission.enter(80 * MB);
    Future<Admission.Ticket> second = admission.enter(30 * MB);
    assertThat(big.succeeded()).isTrue();
    assertThat(second.isComplete()).as("80 + 30 MB do not fit 100 MB").isFalse();
    admission.leave(big.result());
    assertThat(second.succeeded()).isTrue();
    assertThat(admission.reservedBytes()).isEqualTo(30 * MB);
  }

  @Test
  @DisplayName("uploads are let in in order of arrival: a small one does not pass a large one that waits")
  void inOrder() {
    Admission admission = new Admission(10, 100 * MB);
    Future<Admission.Ticket> first = admission.enter(60 * MB);
    Future<Admission.Ticket> large = admission.enter(60 * MB);
    Future<Admission.Ticket> small = admission.enter(10 * MB);
    assertThat(large.isComplete()).isFalse();
    assertThat(small.isComplete()).as("it would fit, but the large one came first").isFalse();
    admission.leave(first.result());
    assertThat(large.succeeded()).isTrue();
    assertThat(small.succeeded()).as("60 + 10 MB fit").isTrue();
  }

  @Test
  @DisplayName("an estimate above the whole budget is let in alone, not refused forever")
  void aboveTheBudget() {
    Admission admission = new Admission(10, 100 * MB);
    Future<Admission.Ticket> huge = admission.enter(500 * MB);
    Future<Admission.Ticket> next = admission.enter(1);
    assertThat(huge.succeeded()).isTrue();
    assertThat(next.isComplete()).isFalse();
    admission.leave(huge.result());
    assertThat(next.succeeded()).isTrue();
  }

  @Test
  @DisplayName("past the count bound an upload is refused at once, waiting or not; a withdrawn one frees its place")
  void countBound() {
    Admission admission = new Admission(2, 100 * MB);
    Future<Admission.Ticket> running = admission.enter(100 * MB);
    Future<Admission.Ticket> waiting = admission.enter(10 * MB);
    assertThat(admission.enter(1)).as("a third").isNull();
    assertThat(admission.withdraw(waiting)).isTrue();
    assertThat(admission.inFlight()).isEqualTo(1);
    Future<Admission.Ticket> later = admission.enter(1);
    assertThat(later).isNotNull();
    admission.leave(running.result());
    assertThat(later.succeeded()).isTrue();
    assertThat(admission.withdraw(later)).as("already let in: it must leave instead").isFalse();
  }
}
