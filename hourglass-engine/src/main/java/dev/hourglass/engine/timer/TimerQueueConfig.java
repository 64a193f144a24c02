package dev.hourglass.engine.timer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Knobs of the timer queue.
 *
 * @param lookAhead how far ahead of now timers are loaded into memory; a longer window means
 *     fewer reads, more heap (memory holds at most {@code batchSize} loaded rows per read)
 * @param batchSize maximum rows read per window read
 */
public record TimerQueueConfig(Duration lookAhead, int batchSize) {
  public TimerQueueConfig {
    requireNonNull(lookAhead, "lookAhead is null");
    if (lookAhead.toMillis() < 100) {
      throw new IllegalArgumentException("lookAhead must be at least 100ms");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
  }

  public static TimerQueueConfig defaults() {
    return new TimerQueueConfig(Duration.ofSeconds(30), 5_000);
  }
}
