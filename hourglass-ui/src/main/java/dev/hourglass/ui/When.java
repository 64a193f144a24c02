package dev.hourglass.ui;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A moment as the pages show it: absolute (UTC, to the second) and relative to now ("3 min ago").
 *
 * @param absolute e.g. {@code 2026-11-23 14:05:33 UTC}
 * @param relative e.g. {@code 3 min ago}, {@code in 20 s}
 * @param iso ISO-8601, for the {@code datetime} attribute
 */
public record When(String absolute, String relative, String iso) {
  private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** Null for an unset timestamp, so templates can test {@code if when}. */
  public static When of(Timestamp timestamp, Instant now) {
    if (timestamp == null || (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0)) {
      return null;
    }
    return of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()), now);
  }

  public static When of(Instant instant, Instant now) {
    Duration between = Duration.between(instant, now);
    String relative = between.isNegative() ? "in " + Durations.words(between.negated()) : Durations.words(between) + " ago";
    return new When(ABSOLUTE.format(instant), relative, instant.toString());
  }
}
