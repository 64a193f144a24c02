package dev.hourglass.cli.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations written as the {@code temporal} CLI takes them (Go's notation plus days): {@code 90s},
 * {@code 1h30m}, {@code 500ms}, {@code 3d}. A bare number is seconds.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern BARE_SECONDS = Pattern.compile("\\d+");

  private Durations() {}

  public static Duration parse(String text) {
    String value = text.trim();
    if (BARE_SECONDS.matcher(value).matches()) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    Matcher part = PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      total = total.plus(amount(Double.parseDouble(part.group(1)), part.group(2)));
      end = part.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30s, 1h30m, 500ms, 3d)");
    }
    return total;
  }

  private static Duration amount(double number, String unit) {
    double millis = switch (unit) {
      case "ms" -> number;
      case "s" -> number * 1_000;
      case "m" -> number * 60_000;
      case "h" -> number * 3_600_000;
      case "d" -> number * 86_400_000;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
    return Duration.ofMillis(Math.round(millis));
  }

  /** The protobuf form of a duration, for request fields. */
  public static com.google.protobuf.Duration toProto(Duration duration) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
  }

  /** Short text for tables: {@code 1h30m}, {@code 10s}, {@code 0s}. */
  public static String format(com.google.protobuf.Duration duration) {
    Duration value = Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    if (value.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    appendPart(text, value.toDaysPart(), "d");
    appendPart(text, value.toHoursPart(), "h");
    appendPart(text, value.toMinutesPart(), "m");
    appendPart(text, value.toSecondsPart(), "s");
    appendPart(text, value.toMillisPart(), "ms");
    return text.toString();
  }

  private static void appendPart(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }

  /** For picocli options typed {@link Duration}. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
