package dev.hourglass.engine.schedule;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The times a compiled {@link ScheduleSpec} names: the union of its calendars and intervals, less
 * its exclusions, within its start and end time. Calendars are matched on the wall clock of the
 * spec's zone with no special DST handling, as Temporal documents: a wall time that does not exist
 * that day is skipped and one that occurs twice matches twice. Times are whole seconds.
 */
public final class ScheduleTimes {
  /** How far ahead a calendar is searched before it is taken to match nothing more. */
  private static final int MAX_DAYS_AHEAD = 366 * 110;

  private final ScheduleSpec spec;
  private final ZoneId zone;
  private final long startMillis;
  private final long endMillis;
  private final long jitterMillis;

  public ScheduleTimes(ScheduleSpec compiledSpec) {
    this.spec = requireNonNull(compiledSpec, "compiledSpec is null");
    this.zone = ScheduleSpecs.zone(compiledSpec.getTimezoneName());
    this.startMillis = compiledSpec.hasStartTime() ? Timestamps.toMillis(compiledSpec.getStartTime()) : Long.MIN_VALUE;
    this.endMillis = compiledSpec.hasEndTime() ? Timestamps.toMillis(compiledSpec.getEndTime()) : Long.MAX_VALUE;
    this.jitterMillis = Durations.toMillis(compiledSpec.getJitter());
  }

  /** The first nominal time strictly after {@code afterMillis}, or -1 when there is none. */
  public long next(long afterMillis) {
    long after = Math.max(afterMillis, startMillis == Long.MIN_VALUE ? afterMillis : startMillis - 1000);
    for (int guard = 0; guard < 10_000; guard++) {
      long candidate = Long.MAX_VALUE;
      for (StructuredCalendarSpec calendar : spec.getStructuredCalendarList()) {
        candidate = Math.min(candidate, nextCalendarTime(calendar, after));
      }
      for (IntervalSpec interval : spec.getIntervalList()) {
        candidate = Math.min(candidate, nextIntervalTime(interval, after));
      }
      if (candidate == Long.MAX_VALUE || candidate > endMillis) {
        return -1;
      }
      if (!excluded(candidate)) {
        return candidate;
      }
      after = candidate;
    }
    return -1;
  }

  /** Nominal times in {@code (afterMillis, untilMillis]}, at most {@code limit}. */
  public List<Long> between(long afterMillis, long untilMillis, int limit) {
    List<Long> times = new ArrayList<>();
    long time = next(afterMillis);
    while (time >= 0 && time <= untilMillis && times.size() < limit) {
      times.add(time);
      time = next(time);
    }
    return times;
  }

  /**
   * The actual time for a nominal one: delayed by up to the spec's jitter, the same delay every time
   * for the same schedule and nominal time (so a re-computation after a crash agrees).
   */
  public long withJitter(String scheduleId, long nominalMillis) {
    if (jitterMillis <= 0) {
      return nominalMillis;
    }
    long seed = scheduleId.hashCode() * 31L + Long.hashCode(nominalMillis);
    long mixed = new java.util.SplittableRandom(seed).nextLong(jitterMillis);
    return nominalMillis + mixed;
  }

  private boolean excluded(long millis) {
    LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
    for (StructuredCalendarSpec exclusion : spec.getExcludeStructuredCalendarList()) {
      if (matchesDay(exclusion, local.toLocalDate()) && matches(exclusion.getHourList(), local.getHour())
          && matches(exclusion.getMinuteList(), local.getMinute()) && matches(exclusion.getSecondList(), local.getSecond())) {
        return true;
      }
    }
    return false;
  }

  private static long nextIntervalTime(IntervalSpec interval, long afterMillis) {
    long every = Durations.toSeconds(interval.getInterval());
    long phase = Durations.toSeconds(interval.getPhase()) % every;
    long afterSeconds = Math.floorDiv(afterMillis, 1000);
    long n = Math.floorDiv(afterSeconds - phase, every) + 1;
    return (n * every + phase) * 1000;
  }

  private long nextCalendarTime(StructuredCalendarSpec calendar, long afterMillis) {
    Instant after = Instant.ofEpochMilli(afterMillis);
    LocalDate day = LocalDateTime.ofInstant(after, zone).toLocalDate().minusDays(1);
    for (int i = 0; i < MAX_DAYS_AHEAD; i++, day = day.plusDays(1)) {
      if (!matchesDay(calendar, day)) {
        continue;
      }
      long found = firstTimeOfDay(calendar, day, afterMillis);
      if (found != Long.MAX_VALUE) {
        return found;
      }
    }
    return Long.MAX_VALUE;
  }

  /** The earliest matching wall time of {@code day} that is an instant after {@code afterMillis}. */
  private long firstTimeOfDay(StructuredCalendarSpec calendar, LocalDate day, long afterMillis) {
    // On a day without an offset change, later wall times are later instants: the first match wins.
    // On a DST change day a later wall time can be an earlier instant: look at the whole day.
    boolean steadyDay = zone.getRules().getOffset(day.atStartOfDay(zone).toInstant())
        .equals(zone.getRules().getOffset(day.plusDays(1).atStartOfDay(zone).toInstant()));
    long best = Long.MAX_VALUE;
    for (int hour = 0; hour < 24; hour++) {
      if (!matches(calendar.getHourList(), hour)) {
        continue;
      }
      for (int minute = 0; minute < 60; minute++) {
        if (!matches(calendar.getMinuteList(), minute)) {
          continue;
        }
        for (int second = 0; second < 60; second++) {
          if (!matches(calendar.getSecondList(), second)) {
            continue;
          }
          LocalDateTime wall = day.atTime(hour, minute, second);
          for (ZoneOffset offset : zone.getRules().getValidOffsets(wall)) {
            long millis = wall.toInstant(offset).toEpochMilli();
            if (millis > afterMillis && millis < best) {
              best = millis;
            }
          }
          if (steadyDay && best != Long.MAX_VALUE) {
            return best;
          }
        }
      }
    }
    return best;
  }

  private static boolean matchesDay(StructuredCalendarSpec calendar, LocalDate day) {
    int dayOfWeek = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue();
    return (calendar.getYearCount() == 0 || matches(calendar.getYearList(), day.getYear()))
        && matches(calendar.getMonthList(), day.getMonthValue())
        && matches(calendar.getDayOfMonthList(), day.getDayOfMonth())
        && matches(calendar.getDayOfWeekList(), dayOfWeek);
  }

  private static boolean matches(List<Range> ranges, int value) {
    for (Range range : ranges) {
      int end = Math.max(range.getEnd(), range.getStart());
      int step = range.getStep() <= 0 ? 1 : range.getStep();
      if (value >= range.getStart() && value <= end && (value - range.getStart()) % step == 0) {
        return true;
      }
    }
    return false;
  }
}
