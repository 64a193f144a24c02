package dev.hourglass.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static Instant at(String time) {
    return Instant.parse(time);
  }

  @Test
  void fiveFieldScheduleFiresAtTheNextMatchingMinuteInUtc() {
    CronSchedule schedule = CronSchedule.parse("30 6 * * *");

    assertThat(schedule.nextAfter(at("2025-03-10T05:00:00Z"))).contains(at("2025-03-10T06:30:00Z"));
    assertThat(schedule.nextAfter(at("2025-03-10T06:30:00Z"))).contains(at("2025-03-11T06:30:00Z"));
  }

  @Test
  void stepsRangesAndNamesAreUnderstood() {
    assertThat(CronSchedule.parse("*/15 * * * *").nextAfter(at("2025-03-10T05:16:00Z"))).contains(at("2025-03-10T05:30:00Z"));
    assertThat(CronSchedule.parse("0 9 * * MON-FRI").nextAfter(at("2025-03-08T10:00:00Z"))).contains(at("2025-03-10T09:00:00Z"));
  }

  @Test
  void descriptorsStandForTheirExpressions() {
    Instant time = at("2025-03-10T05:16:00Z");
    assertThat(CronSchedule.parse("@hourly").nextAfter(time)).contains(at("2025-03-10T06:00:00Z"));
    assertThat(CronSchedule.parse("@daily").nextAfter(time)).contains(at("2025-03-11T00:00:00Z"));
    assertThat(CronSchedule.parse("@midnight").nextAfter(time)).contains(at("2025-03-11T00:00:00Z"));
    assertThat(CronSchedule.parse("@weekly").nextAfter(time)).contains(at("2025-03-16T00:00:00Z"));
    assertThat(CronSchedule.parse("@monthly").nextAfter(time)).contains(at("2025-04-01T00:00:00Z"));
    assertThat(CronSchedule.parse("@yearly").nextAfter(time)).contains(at("2026-01-01T00:00:00Z"));
    assertThat(CronSchedule.parse("@annually").nextAfter(time)).contains(at("2026-01-01T00:00:00Z"));
  }

  @Test
  void everyAddsTheDelayToTheTimeTruncatedToTheSecond() {
    assertThat(CronSchedule.parse("@every 90s").nextAfter(at("2025-03-10T05:16:00.700Z"))).contains(at("2025-03-10T05:17:30Z"));
    assertThat(CronSchedule.parse("@every 1h30m").nextAfter(at("2025-03-10T05:16:00Z"))).contains(at("2025-03-10T06:46:00Z"));
    assertThat(CronSchedule.parse("@every 100ms").nextAfter(at("2025-03-10T05:16:00Z"))).contains(at("2025-03-10T05:16:01Z"));
  }

  @Test
  void timeZonePrefixEvaluatesTheFieldsInThatZone() {
    // 16:05 in New York on a summer day is 20:05 UTC.
    CronSchedule schedule = CronSchedule.parse("CRON_TZ=America/New_York 5 16 * * *");

    assertThat(schedule.nextAfter(at("2025-07-01T12:00:00Z"))).contains(at("2025-07-01T20:05:00Z"));
    assertThat(CronSchedule.parse("TZ=Europe/Berlin @daily").nextAfter(at("2025-01-10T12:00:00Z"))).contains(at("2025-01-10T23:00:00Z"));
  }

  @Test
  void backoffWaitsForTheNextFireTimeRoundedUpToSeconds() {
    CronSchedule schedule = CronSchedule.parse("0 * * * *");

    assertThat(schedule.backoff(at("2025-03-10T05:10:00Z"), at("2025-03-10T05:10:00Z"))).contains(Duration.ofMinutes(50));
    assertThat(schedule.backoff(at("2025-03-10T05:10:00Z"), at("2025-03-10T05:10:00.250Z"))).contains(Duration.ofMinutes(50));
  }

  @Test
  void backoffSkipsFireTimesMissedWhileARunTookLong() {
    CronSchedule schedule = CronSchedule.parse("*/10 * * * *");

    // Scheduled at 00:00, the run ended at 00:35: the next run is at 00:40, not the missed 00:10.
    assertThat(schedule.backoff(at("2025-03-10T00:00:00Z"), at("2025-03-10T00:35:00Z"))).contains(Duration.ofMinutes(5));
  }

  @Test
  void backoffOfAScheduledTimeStillAheadWaitsForIt() {
    CronSchedule schedule = CronSchedule.parse("@every 30m");

    assertThat(schedule.backoff(at("2025-03-10T09:00:00Z"), at("2025-03-10T08:45:00Z"))).contains(Duration.ofMinutes(15));
  }

  @Test
  void malformedSchedulesAreRejectedNamingTheProblem() {
    assertThatThrownBy(() -> CronSchedule.parse("every day")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Invalid CronSchedule \"every day\"");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("61");
    assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unknown descriptor @fortnightly");
    assertThatThrownBy(() -> CronSchedule.parse("@every soon")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("cannot read the duration");
    assertThatThrownBy(() -> CronSchedule.parse("CRON_TZ=Mars/Olympus 0 * * * *")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unknown time zone Mars/Olympus");
  }

  @Test
  void scheduleThatCanNeverFireIsRejected() {
    assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("no time can be found");
  }
}
