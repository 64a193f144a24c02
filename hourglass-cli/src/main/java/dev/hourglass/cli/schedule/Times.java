package dev.hourglass.cli.schedule;

import com.google.protobuf.Timestamp;
import dev.hourglass.cli.client.InvalidSettingsException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 times on the command line, as {@code temporal} takes them ({@code 2025-01-31T09:00:00Z}). */
final class Times {
  private Times() {}

  static Timestamp parse(String text, String flag) {
    try {
      java.time.Instant instant = OffsetDateTime.parse(text).toInstant();
      return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    } catch (DateTimeParseException e) {
      throw new InvalidSettingsException("Invalid " + flag + " '" + text + "': expected an RFC 3339 time such as 2025-01-31T09:00:00Z");
    }
  }
}
