package dev.hourglass.ui;

import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/** A schedule's spec in words: {@code every 1 h}, {@code at 02:00 every day}, {@code at 09:30 on Mon–Fri}. */
final class ScheduleSpecText {
  private ScheduleSpecText() {}

  static List<String> lines(ScheduleSpec spec) {
    List<String> lines = new ArrayList<>();
    spec.getCronStringList().forEach(cron -> lines.add("cron " + cron));
    for (IntervalSpec interval : spec.getIntervalList()) {
      String phase = interval.getPhase().getSeconds() > 0 ? " (offset " + Durations.words(interval.getPhase()) + ")" : "";
      lines.add("every " + Durations.words(interval.getInterval()) + phase);
    }
    for (StructuredCalendarSpec calendar : spec.getStructuredCalendarList()) {
      lines.add(calendar(calendar));
    }
    for (CalendarSpec calendar : spec.getCalendarList()) {
      lines.add("calendar: hour " + orAll(calendar.getHour()) + ", minute " + orAll(calendar.getMinute()) + ", day of week "
          + orAll(calendar.getDayOfWeek()) + ", day of month " + orAll(calendar.getDayOfMonth()) + ", month " + orAll(calendar.getMonth()));
    }
    for (StructuredCalendarSpec excluded : spec.getExcludeStructuredCalendarList()) {
      lines.add("except " + calendar(excluded));
    }
    if (!spec.getTimezoneName().isEmpty()) {
      lines.add("time zone " + spec.getTimezoneName());
    }
    if (spec.getJitter().getSeconds() > 0) {
      lines.add("jitter up to " + Durations.words(spec.getJitter()));
    }
    if (lines.isEmpty()) {
      lines.add("no times: starts only when triggered");
    }
    return lines;
  }

  private static String calendar(StructuredCalendarSpec calendar) {
    // As in Temporal's calendar spec: no second, minute or hour means 0, no day or month means every one.
    BitSet hours = values(calendar.getHourList(), 0, 23, false);
    BitSet minutes = values(calendar.getMinuteList(), 0, 59, false);
    BitSet seconds = values(calendar.getSecondList(), 0, 59, false);
    StringBuilder text = new StringBuilder();
    if (hours.cardinality() == 1 && minutes.cardinality() == 1) {
      text.append(String.format("at %02d:%02d", hours.nextSetBit(0), minutes.nextSetBit(0)));
    } else {
      text.append("at minute ").append(describe(minutes, 0, 59, String::valueOf, "every minute"))
          .append(" of ").append(describe(hours, 0, 23, hour -> "hour " + hour, "every hour"));
    }
    if (!(seconds.cardinality() == 1 && seconds.get(0))) {
      text.append(", second ").append(describe(seconds, 0, 59, String::valueOf, "every second"));
    }
    BitSet daysOfWeek = values(calendar.getDayOfWeekList(), 0, 6, true);
    BitSet daysOfMonth = values(calendar.getDayOfMonthList(), 1, 31, true);
    BitSet months = values(calendar.getMonthList(), 1, 12, true);
    text.append(isAll(daysOfWeek, 0, 6) ? (isAll(daysOfMonth, 1, 31) ? " every day" : "")
        : " on " + describe(daysOfWeek, 0, 6, ScheduleSpecText::dayOfWeek, ""));
    if (!isAll(daysOfMonth, 1, 31)) {
      text.append(" on day ").append(describe(daysOfMonth, 1, 31, String::valueOf, "")).append(" of the month");
    }
    if (!isAll(months, 1, 12)) {
      text.append(" in ").append(describe(months, 1, 12, ScheduleSpecText::month, ""));
    }
    if (!calendar.getComment().isEmpty()) {
      text.append(" (").append(calendar.getComment()).append(')');
    }
    return text.toString();
  }

  /** The values the ranges cover; no ranges means every value when {@code emptyIsAll}, else {@code min}. */
  private static BitSet values(List<Range> ranges, int min, int max, boolean emptyIsAll) {
    BitSet values = new BitSet();
    if (ranges.isEmpty()) {
      values.set(min, emptyIsAll ? max + 1 : min + 1);
      return values;
    }
    for (Range range : ranges) {
      int end = Math.max(range.getStart(), range.getEnd());
      int step = Math.max(1, range.getStep());
      for (int value = range.getStart(); value <= Math.min(end, max); value += step) {
        values.set(value);
      }
    }
    return values;
  }

  private static boolean isAll(BitSet values, int min, int max) {
    return values.get(min, max + 1).cardinality() == max - min + 1;
  }

  /** Runs of consecutive values as {@code a–b}, the rest listed: {@code Mon–Fri}, {@code 0, 15, 30, 45}. */
  private static String describe(BitSet values, int min, int max, IntFunction<String> name, String whenAll) {
    if (isAll(values, min, max) && !whenAll.isEmpty()) {
      return whenAll;
    }
    List<String> parts = new ArrayList<>();
    for (int start = values.nextSetBit(0); start >= 0; ) {
      int end = values.nextClearBit(start) - 1;
      parts.add(end - start >= 2 ? name.apply(start) + "–" + name.apply(end)
          : end > start ? name.apply(start) + ", " + name.apply(end) : name.apply(start));
      start = values.nextSetBit(end + 1);
    }
    return String.join(", ", parts);
  }

  private static String dayOfWeek(int day) {
    return DayOfWeek.of(day == 0 ? 7 : Math.min(day, 7)).getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  private static String month(int month) {
    return Month.of(Math.max(1, Math.min(month, 12))).getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  private static String orAll(String value) {
    return value.isEmpty() ? "*" : value;
  }
}
