package dev.hourglass.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.ScheduleSpec;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScheduleTimesTest {
  private static List<String> times(ScheduleSpec spec, String after, int count) {
    ScheduleTimes times = new ScheduleTimes(ScheduleSpecs.compile(spec));
    return times.between(Instant.parse(after).toEpochMilli(), Long.MAX_VALUE, count).stream()
        .map(millis -> Instant.ofEpochMilli(millis).toString()).collect(Collectors.toList());
  }

  private static ScheduleSpec cron(String... crons) {
    return ScheduleSpec.newBuilder().addAllCronString(List.of(crons)).build();
  }

  @Test
  void fiveFieldCronMatchesMinutesHoursAndWeekdays() {
    assertThat(times(cron("30 9 * * mon-fri"), "2026-11-20T10:00:00Z", 3))
        .containsExactly("2026-11-23T09:30:00Z", "2026-11-24T09:30:00Z", "2026-11-25T09:30:00Z");
  }

  @Test
  void stepsListsAndShorthands() {
    assertThat(times(cron("*/15 * * * *"), "2026-01-01T00:07:00Z", 3))
        .containsExactly("2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z");
    assertThat(times(cron("0 0 1,15 * *"), "2026-01-02T00:00:00Z", 2)).containsExactly("2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z");
    assertThat(times(cron("@daily"), "2026-01-01T12:00:00Z", 1)).containsExactly("2026-01-02T00:00:00Z");
    assertThat(times(cron("@hourly"), "2026-01-01T12:00:00Z", 1)).containsExactly("2026-01-01T13:00:00Z");
    assertThat(times(cron("@weekly"), "2026-11-23T12:00:00Z", 1)).containsExactly("2026-11-29T00:00:00Z");
    assertThat(times(cron("@monthly"), "2026-11-23T12:00:00Z", 1)).containsExactly("2026-12-01T00:00:00Z");
  }

  @Test
  void sevenFieldCronHasSecondsAndYears() {
    assertThat(times(cron("*/20 0 0 1 1 * 2027"), "2026-06-01T00:00:00Z", 4))
        .containsExactly("2027-01-01T00:00:00Z", "2027-01-01T00:00:20Z", "2027-01-01T00:00:40Z");
  }

  @Test
  void everyBecomesAnIntervalWithPhase() {
    ScheduleSpec compiled = ScheduleSpecs.compile(cron("@every 90m/15m"));
    assertThat(compiled.getIntervalList()).containsExactly(IntervalSpec.newBuilder()
        .setInterval(Durations.fromMinutes(90)).setPhase(Durations.fromMinutes(15)).build());
    assertThat(times(cron("@every 1h/15m"), "2026-01-01T00:20:00Z", 2)).containsExactly("2026-01-01T01:15:00Z", "2026-01-01T02:15:00Z");
  }

  @Test
  void calendarsInATimeZoneFollowItsWallClockAcrossDst() {
    // Europe/Berlin leaves summer time on 2026-10-25: 02:30 happens twice, 02:30 on 2026-03-29 not at all.
    ScheduleSpec twoThirty = ScheduleSpec.newBuilder().addCalendar(CalendarSpec.newBuilder().setHour("2").setMinute("30"))
        .setTimezoneName("Europe/Berlin").build();
    assertThat(times(twoThirty, "2026-10-24T12:00:00Z", 3))
        .containsExactly("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z");
    assertThat(times(twoThirty, "2026-03-28T12:00:00Z", 2)).containsExactly("2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z");
    assertThat(times(cron("CRON_TZ=America/New_York 0 9 * * *"), "2026-07-01T00:00:00Z", 1)).containsExactly("2026-07-01T13:00:00Z");
  }

  @Test
  void exclusionsAndEndTimeRemoveTimes() {
    ScheduleSpec spec = ScheduleSpec.newBuilder().addCronString("0 12 * * *")
        .addExcludeCalendar(CalendarSpec.newBuilder().setDayOfWeek("sat,sun").setHour("*").setMinute("*").setSecond("*"))
        .setEndTime(com.google.protobuf.util.Timestamps.parseUnchecked("2026-11-26T00:00:00Z"))
        .build();
    assertThat(times(spec, "2026-11-20T13:00:00Z", 10))
        .containsExactly("2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z", "2026-11-25T12:00:00Z");
  }

  @Test
  void malformedSpecsAreRejectedNamingTheProblem() {
    assertThatThrownBy(() -> ScheduleSpecs.compile(cron("61 * * * *"))).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("minute").hasMessageContaining("61");
    assertThatThrownBy(() -> ScheduleSpecs.compile(cron("* * *"))).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("5, 6 or 7 fields");
    assertThatThrownBy(() -> ScheduleSpecs.compile(cron("CRON_TZ=Mars/Olympus 0 0 * * *"))).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Mars/Olympus");
    assertThatThrownBy(() -> ScheduleSpecs.compile(cron("0 0 * foo *"))).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("month");
  }
}
