package dev.hourglass.engine.schedule;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.schedule.v1.CalendarSpec;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a schedule spec as clients write it into the form Temporal stores and describes:
 * {@code calendar} and {@code cron_string} entries become {@code structured_calendar} (and
 * {@code interval} for {@code @every}, {@code timezone_name} for {@code CRON_TZ=}). Every
 * problem is an INVALID_ARGUMENT naming the field and the value.
 */
public final class ScheduleSpecs {
  private static final Map<String, Integer> MONTHS = names("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final Map<String, Integer> DAYS = daysOfWeek();
  private static final Pattern EVERY = Pattern.compile("@every\\s+(\\d+[smhd])(?:/(\\d+[smhd]))?");
  private static final Pattern AMOUNT = Pattern.compile("(\\d+)([smhd])");

  private ScheduleSpecs() {}

  /** The spec with calendars and cron strings compiled, validated. */
  public static ScheduleSpec compile(ScheduleSpec spec) {
    ScheduleSpec.Builder compiled = spec.toBuilder().clearCalendar().clearCronString().clearExcludeCalendar();
    for (CalendarSpec calendar : spec.getCalendarList()) {
      compiled.addStructuredCalendar(structured(calendar));
    }
    for (CalendarSpec calendar : spec.getExcludeCalendarList()) {
      compiled.addExcludeStructuredCalendar(structured(calendar));
    }
    for (String cron : spec.getCronStringList()) {
      compileCron(cron, compiled);
    }
    for (IntervalSpec interval : compiled.getIntervalList()) {
      if (Durations.toMillis(interval.getInterval()) < 1000) {
        throw new InvalidArgumentException("Interval " + Durations.toString(interval.getInterval())
            + " in the schedule spec is invalid: it must be at least one second.");
      }
      if (Durations.toMillis(interval.getPhase()) < 0) {
        throw new InvalidArgumentException("Interval phase in the schedule spec must not be negative.");
      }
    }
    if (Durations.toMillis(spec.getJitter()) < 0) {
      throw new InvalidArgumentException("Jitter in the schedule spec must not be negative.");
    }
    zone(compiled.getTimezoneName());
    for (StructuredCalendarSpec calendar : compiled.getStructuredCalendarList()) {
      checkRanges(calendar);
    }
    return compiled.build();
  }

  /** The time zone a spec's calendars are read in; UTC when unset. */
  public static ZoneId zone(String timezoneName) {
    if (timezoneName.isEmpty()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(timezoneName);
    } catch (DateTimeException e) {
      throw new InvalidArgumentException("Unknown time zone '" + timezoneName + "' in the schedule spec.");
    }
  }

  private static void compileCron(String cron, ScheduleSpec.Builder compiled) {
    String text = cron.trim();
    String comment = "";
    int hash = text.indexOf('#');
    if (hash >= 0) {
      comment = text.substring(hash + 1).trim();
      text = text.substring(0, hash).trim();
    }
    if (text.startsWith("CRON_TZ=") || text.startsWith("TZ=")) {
      int space = text.indexOf(' ');
      if (space < 0) {
        throw new InvalidArgumentException("Cron string '" + cron + "' has a time zone but no schedule.");
      }
      String zone = text.substring(text.indexOf('=') + 1, space);
      if (!compiled.getTimezoneName().isEmpty() && !compiled.getTimezoneName().equals(zone)) {
        throw new InvalidArgumentException("Cron string '" + cron + "' names a time zone, and so does the spec: give one.");
      }
      zone(zone);
      compiled.setTimezoneName(zone);
      text = text.substring(space + 1).trim();
    }
    Matcher every = EVERY.matcher(text);
    if (every.matches()) {
      IntervalSpec.Builder interval = IntervalSpec.newBuilder().setInterval(Durations.fromSeconds(seconds(every.group(1))));
      if (every.group(2) != null) {
        interval.setPhase(Durations.fromSeconds(seconds(every.group(2))));
      }
      compiled.addInterval(interval);
      return;
    }
    CalendarSpec.Builder calendar = CalendarSpec.newBuilder().setComment(comment);
    switch (text) {
      case "@yearly", "@annually" -> calendar.setMonth("1").setDayOfMonth("1");
      case "@monthly" -> calendar.setDayOfMonth("1");
      case "@weekly" -> calendar.setDayOfWeek("0");
      case "@daily", "@midnight" -> { }
      case "@hourly" -> calendar.setHour("*");
      default -> {
        String[] fields = text.split("\\s+");
        int offset;
        switch (fields.length) {
          case 5, 6 -> offset = 0;
          case 7 -> {
            calendar.setSecond(fields[0]);
            offset = 1;
          }
          default -> throw new InvalidArgumentException("Cron string '" + cron
              + "' is invalid: it must have 5, 6 or 7 fields, or be one of @yearly, @monthly, @weekly, @daily, @hourly, @every <interval>.");
        }
        calendar.setMinute(fields[offset]).setHour(fields[offset + 1]).setDayOfMonth(fields[offset + 2])
            .setMonth(fields[offset + 3]).setDayOfWeek(fields[offset + 4]);
        if (fields.length > 5) {
          calendar.setYear(fields[fields.length - 1]);
        }
      }
    }
    try {
      compiled.addStructuredCalendar(structured(calendar.build()));
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("Cron string '" + cron + "' is invalid: " + e.getMessage());
    }
  }

  private static long seconds(String amount) {
    Matcher matcher = AMOUNT.matcher(amount);
    if (!matcher.matches()) {
      throw new InvalidArgumentException("'" + amount + "' is not a duration like 30s, 5m, 2h or 1d.");
    }
    long value = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> value;
      case "m" -> value * 60;
      case "h" -> value * 3600;
      default -> value * 86400;
    };
  }

  /** A CalendarSpec with Temporal's defaults: second, minute and hour 0; the other fields every value. */
  static StructuredCalendarSpec structured(CalendarSpec calendar) {
    return StructuredCalendarSpec.newBuilder()
        .addAllSecond(field("second", calendar.getSecond(), "0", 0, 59, Map.of()))
        .addAllMinute(field("minute", calendar.getMinute(), "0", 0, 59, Map.of()))
        .addAllHour(field("hour", calendar.getHour(), "0", 0, 23, Map.of()))
        .addAllDayOfMonth(field("day_of_month", calendar.getDayOfMonth(), "*", 1, 31, Map.of()))
        .addAllMonth(field("month", calendar.getMonth(), "*", 1, 12, MONTHS))
        .addAllYear(calendar.getYear().isEmpty() || calendar.getYear().equals("*")
            ? List.of() : field("year", calendar.getYear(), "*", 1970, 2999, Map.of()))
        .addAllDayOfWeek(field("day_of_week", calendar.getDayOfWeek(), "*", 0, 7, DAYS))
        .setComment(calendar.getComment())
        .build();
  }

  /** One field: {@code *}, {@code x}, {@code x-z}, {@code x/y}, {@code x-z/y}, {@code *}{@code /y}, or a comma list of those. */
  private static List<Range> field(String name, String expression, String defaultExpression, int min, int max, Map<String, Integer> names) {
    String text = expression.isBlank() ? defaultExpression : expression.trim().toLowerCase(Locale.ROOT);
    List<Range> ranges = new ArrayList<>();
    for (String part : text.split(",")) {
      int step = 1;
      String span = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(name, part.substring(slash + 1), Map.of());
        span = part.substring(0, slash);
        if (step <= 0) {
          throw new InvalidArgumentException(name + " step in '" + expression + "' must be positive.");
        }
      }
      int start;
      int end;
      if (span.equals("*")) {
        start = min;
        end = max;
      } else if (span.contains("-")) {
        start = number(name, span.substring(0, span.indexOf('-')), names);
        end = number(name, span.substring(span.indexOf('-') + 1), names);
      } else {
        start = number(name, span, names);
        end = slash >= 0 ? max : start;
      }
      if (start < min || end > max || end < start) {
        throw new InvalidArgumentException(name + " '" + expression + "' is out of range " + min + "-" + max + ".");
      }
      if (name.equals("day_of_week") && end == 7) {
        // 7 is Sunday too; Temporal's ranges run 0-6.
        if (start == 7) {
          ranges.add(Range.newBuilder().setStart(0).setEnd(0).setStep(1).build());
          continue;
        }
        ranges.add(Range.newBuilder().setStart(0).setEnd(0).setStep(1).build());
        end = 6;
      }
      ranges.add(Range.newBuilder().setStart(start).setEnd(end).setStep(step).build());
    }
    return ranges;
  }

  private static int number(String name, String text, Map<String, Integer> names) {
    Integer named = names.get(text.length() > 3 ? text.substring(0, 3) : text);
    if (named != null && !text.chars().allMatch(Character::isDigit)) {
      return named;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(name + " value '" + text + "' is not a number" + (names.isEmpty() ? "" : " or a name") + ".");
    }
  }

  private static void checkRanges(StructuredCalendarSpec calendar) {
    for (List<Range> ranges : List.of(calendar.getSecondList(), calendar.getMinuteList(), calendar.getHourList(),
        calendar.getDayOfMonthList(), calendar.getMonthList(), calendar.getDayOfWeekList(), calendar.getYearList())) {
      for (Range range : ranges) {
        if (range.getStep() < 0) {
          throw new InvalidArgumentException("A range step in the schedule's calendar is negative.");
        }
      }
    }
  }

  private static Map<String, Integer> names(String... names) {
    Map<String, Integer> map = new java.util.HashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], i + 1);
    }
    return Map.copyOf(map);
  }

  private static Map<String, Integer> daysOfWeek() {
    String[] days = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    Map<String, Integer> map = new java.util.HashMap<>();
    for (int i = 0; i < days.length; i++) {
      map.put(days[i], i);
    }
    return Map.copyOf(map);
  }
}
