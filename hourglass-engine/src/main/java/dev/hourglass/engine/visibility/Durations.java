package dev.hourglass.engine.visibility;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Temporal's list filters accept them: Go style ("1h30m", "1.5s", "250ms") or "hh:mm:ss". */
final class Durations {
  private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  private static final Pattern CLOCK = Pattern.compile("(\\d+):(\\d{2}):(\\d{2})");

  private Durations() {}

  static Optional<Long> parseMillis(String text) {
    Matcher clock = CLOCK.matcher(text);
    if (clock.matches()) {
      return Optional.of(((Long.parseLong(clock.group(1)) * 60 + Long.parseLong(clock.group(2))) * 60
          + Long.parseLong(clock.group(3))) * 1000);
    }
    Matcher part = GO_PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unitNanos(part.group(2)))));
      end = part.end();
    }
    if (end == 0 || end != text.length()) {
      return Optional.empty();
    }
    return Optional.of(nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000)).longValue());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }
}
