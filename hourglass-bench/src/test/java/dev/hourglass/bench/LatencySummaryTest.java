package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void reportsMicrosecondHistogramsInMilliseconds() {
    Histogram micros = new Histogram(3);
    for (int millis = 1; millis <= 100; millis++) {
      micros.recordValue(millis * 1_000L);
    }

    LatencySummary summary = LatencySummary.ofMicros(micros);

    assertThat(summary.count()).isEqualTo(100);
    assertThat(summary.p50Millis()).isEqualTo(50.0);
    assertThat(summary.p90Millis()).isEqualTo(90.0);
    assertThat(summary.p99Millis()).isEqualTo(99.0);
    assertThat(summary.maxMillis()).isEqualTo(100.0);
  }

  @Test
  void emptyHistogramIsAllZeros() {
    assertThat(LatencySummary.ofMicros(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
  }
}
