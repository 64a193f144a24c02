package dev.hourglass.cli.schedule;

import dev.hourglass.cli.client.InvalidSettingsException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.util.Locale;

/** {@code --overlap-policy}: Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll. */
final class OverlapPolicies {
  static final String CHOICES = "Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll";
  private static final String PREFIX = "SCHEDULE_OVERLAP_POLICY_";

  private OverlapPolicies() {}

  static ScheduleOverlapPolicy parse(String text) {
    String wanted = text.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
    for (ScheduleOverlapPolicy policy : ScheduleOverlapPolicy.values()) {
      if (policy.name().startsWith(PREFIX) && policy != ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED
          && policy.name().substring(PREFIX.length()).replace("_", "").equals(wanted)) {
        return policy;
      }
    }
    throw new InvalidSettingsException("Invalid --overlap-policy '" + text + "': expected one of " + CHOICES);
  }
}
