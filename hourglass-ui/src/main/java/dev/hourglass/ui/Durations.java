package dev.hourglass.ui;

import com.google.protobuf.Timestamp;
import java.time.Duration;

/** Durations in words a person reads at a glance: {@code 850 ms}, {@code 12 s}, {@code 3 min 5 s}, {@code 2 h 10 min}, {@code 4 d 3 h}. */
public final class Durations {
  private Durations() {}

  public static String words(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return millis < 10_000 ? String.format("%.1f s", millis / 1000.0) : seconds + " s";
    }
    if (seconds < 3600) {
      return pair(seconds / 60, "min", seconds % 60, "s");
    }
    if (seconds < 86_400) {
      return pair(seconds / 3600, "h", seconds % 3600 / 60, "min");
    }
    return pair(seconds / 86_400, "d", seconds % 86_400 / 3600, "h");
  }

  public static String words(com.google.protobuf.Duration duration) {
    return words(Duration.ofSeconds(duration.getSeconds(), duration.getNanos()));
  }

  /** The time from {@code start} to {@code end}, or null when either is unset. */
  public static String between(Timestamp start, Timestamp end) {
    if (start.getSeconds() == 0 || end.getSeconds() == 0) {
      return null;
    }
    return words(Duration.ofSeconds(end.getSeconds() - start.getSeconds(), end.getNanos() - start.getNanos()));
  }

  private static String pair(long major, String majorUnit, long minor, String minorUnit) {
    return minor == 0 ? major + " " + majorUnit : major + " " + majorUnit + " " + minor + " " + minorUnit;
  }
}
