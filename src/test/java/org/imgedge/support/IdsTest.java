package org.imgedge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @Test
  void newIdsAreWellFormedDistinctAndCarryTheirTime() {
    Instant before = Instant.now().minusMillis(1);
    String a = Ids.next();
    String b = Ids.next();
    assertThat(Ids.isWellFormed(a)).as(a).isTrue();
    assertThat(a).isNotEqualTo(b);
    assertThat(Ids.createdAt(a)).isBetween(before, Instant.now().plus(Duration.ofMillis(1)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "0192f6c1-1b2c-7d3e-8f40-123456789abc0", // too long
      "0192f6c1-1b2c-7d3e-8f40-123456789ab", // too short
      "0192F6C1-1B2C-7D3E-8F40-123456789ABC", // uppercase
      "0192f6c1-1b2c-4d3e-8f40-123456789abc", // version 4
      "0192f6c1-1b2c-7d3e-cf40-123456789abc", // not the RFC variant
      "0192f6c1x1b2c-7d3e-8f40-123456789abc", // no dash
      "0192f6c1-1b2c-7d3e-8f40-123456789abg", // not hex
      "../../../../../../../../../catalog.d", // 36 characters of path
  })
  void junkIsNotAnId(String s) {
    assertThat(Ids.isWellFormed(s)).isFalse();
  }
}
