package org.imgedge.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobQueueBackoffTest {

  @Test
  @DisplayName("the backoff is backoffSeconds after the first failure, doubling after each further one, capped at an hour")
  void doublingBackoff() {
    JobQueue queue = JobQueue.create(null, new JobsConfig(20, 10), Clock.systemUTC());
    assertThat(queue.backoffMillis(1)).isEqualTo(10_000);
    assertThat(queue.backoffMillis(2)).isEqualTo(20_000);
    assertThat(queue.backoffMillis(3)).isEqualTo(40_000);
    assertThat(queue.backoffMillis(9)).isEqualTo(2_560_000);
    assertThat(queue.backoffMillis(10)).isEqualTo(3_600_000);
    assertThat(queue.backoffMillis(20)).isEqualTo(3_600_000);
    assertThat(JobQueue.create(null, new JobsConfig(5, 0), Clock.systemUTC()).backoffMillis(4)).isZero();
  }
}
