package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

import org.HdrHistogram.AbstractHistogram;

/**
 * Percentiles of one latency distribution, in milliseconds. Histograms record microseconds: a
 * loopback round trip is well under a millisecond, so millisecond buckets would hide it.
 */
record LatencySummary(long count, double p50Millis, double p90Millis, double p99Millis, double maxMillis) {
  static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

  static LatencySummary ofMicros(AbstractHistogram micros) {
    requireNonNull(micros, "micros is null");
    if (micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        micros.getTotalCount(),
        millis(micros.getValueAtPercentile(50)),
        millis(micros.getValueAtPercentile(90)),
        millis(micros.getValueAtPercentile(99)),
        millis(micros.getMaxValue()));
  }

  /** {@code p50=12.3 p90=… ms} for the human-readable summary. */
  String format() {
    return String.format("p50=%.1f p90=%.1f p99=%.1f max=%.1f ms (n=%d)", p50Millis, p90Millis, p99Millis, maxMillis, count);
  }

  // One decimal place: a tenth of a millisecond is below what a shared 2-core machine can repeat.
  private static double millis(long micros) {
    return Math.round(micros / 100.0) / 10.0;
  }
}
