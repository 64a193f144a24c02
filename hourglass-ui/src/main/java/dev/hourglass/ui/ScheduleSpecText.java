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
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/** A schedule's spec in words: {@code every 1 h}, {@code at 02:00 on Mon–Fri}, {@code cron 0 2 * * *}. */
final class ScheduleSpecText {
  private ScheduleSpecText() {}

  static List<String> lines(ScheduleSpec spec) {
    List<String> lines = new ArrayList<>();
    spec.getCronStringList().forEach(cron -> lines.add("cron " + cron));
    for (IntervalSpec interval : spec.getIntervalList()) {
      String phase = interval.hasPhase() && (interval.getPhase().getSeconds() > 0 || interval.getPhase().getNanos() > 0)
          ? " (offset " + Durations.words(interval.getPhase()) + ")" : "";
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
    if (spec.hasJitter() && spec.getJitter().getSeconds() > 0) {
      lines.add("jitter up to " + Durations.words(spec.getJitter()));
    }
    if (lines.isEmpty()) {
      lines.add("no times: runs only when triggered");
    }
    return lines;
  }

  private static String calendar(StructuredCalendarSpec calendar) {
    StringBuilder text = new StringBuilder();
    if (single(calendar.getHourList()) && single(calendar.getMinuteList())) {
      text.append(String.format("at %02d:%02d", calendar.getHour(0).getStart(), calendar.getMinute(0).getStart()));
    } else {
      text.append("at hour ").append(ranges(calendar.getHourList(), String::valueOf, "every hour"))
          .append(", minute ").append(ranges(calendar.getMinuteList(), String::valueOf, "every minute"));
    }
    if (!calendar.getSecondList().isEmpty() && !(single(calendar.getSecondList()) && calendar.getSecond(0).getStart() == 0)) {
      text.append(", second ").append(ranges(calendar.getSecondList(), String::valueOf, "every second"));
    }
    text.append(" on ").append(isWhole(calendar.getDayOfWeekList(), 0, 6) ? "every day"
        : ranges(calendar.getDayOfWeekList(), ScheduleSpecText::dayOfWeek, "every day"));
    if (!calendar.getDayOfMonthList().isEmpty() && !isWhole(calendar.getDayOfMonthList(), 1, 31)) {
      text.append(", day ").append(ranges(calendar.getDayOfMonthList(), String::valueOf, "")).append(" of the month");
    }
    if (!calendar.getMonthList().isEmpty() && !isWhole(calendar.getMonthList(), 1, 12)) {
      text.append(", in ").append(ranges(calendar.getMonthList(), ScheduleSpecText::month, ""));
    }
    if (!calendar.getComment().isEmpty()) {
      text.append(" (").append(calendar.getComment()).append(')');
    }
    return text.toString();
  }

  private static boolean single(List<Range> ranges) {
    return ranges.size() == 1 && (ranges.get(0).getEnd() <= ranges.get(0).getStart());
  }

  private static boolean isWhole(List<Range> ranges, int first, int last) {
    return ranges.size() == 1 && ranges.get(0).getStart() <= first && ranges.get(0).getEnd() >= last
        && ranges.get(0).getStep() <= 1;
  }

  private static String ranges(List<Range> ranges, IntFunction<String> name, String whenEmpty) {
    if (ranges.isEmpty()) {
      return whenEmpty;
    }
    List<String> parts = new ArrayList<>();
    for (Range range : ranges) {
      String part = range.getEnd() <= range.getStart() ? name.apply(range.getStart())
          : name.apply(range.getStart()) + "–" + name.apply(range.getEnd());
      parts.add(range.getStep() > 1 ? part + " every " + range.getStep() : part);
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
