package dev.hourglass.bench;

import java.time.Duration;

/**
 * The instant by which a whole benchmark run must be over, on the monotonic clock. Every wait in a
 * run is bounded by {@link #remaining()}, so a server that stops answering ends the run with a
 * report instead of hanging it.
 */
record Deadline(long deadlineNanos) {
  static Deadline after(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  /** Time left, never negative. */
  Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  boolean expired() {
    return deadlineNanos - System.nanoTime() <= 0;
  }
}
