package dev.hourglass.engine.schedule;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.hourglass.common.InvalidArgumentException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cron schedule as Temporal accepts it for cron workflows (robfig/cron's standard parser): five
 * fields (minute, hour, day of month, month, day of week) evaluated in UTC, an optional
 * {@code CRON_TZ=<zone>} (or {@code TZ=<zone>}) prefix, the descriptors {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly}, and {@code @every <duration>} with a Go duration ({@code 90s}, {@code 1h30m}).
 *
 * <p>The five-field expressions are parsed and evaluated by cron-utils (UNIX definition); this class
 * adds only what Temporal's syntax has beyond that. Immutable and thread-safe.
 */
public final class CronSchedule {
  private static final CronParser UNIX_PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** robfig/cron's descriptors and the expressions they stand for. */
  private static final Map<String, String> DESCRIPTORS = Map.of(
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  private static final String EVERY = "@every ";
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  /** When the schedule fires next, strictly after a time. */
  private interface Rule {
    Optional<Instant> nextAfter(Instant time);
  }

  private final String spec;
  private final Rule rule;

  private CronSchedule(String spec, Rule rule) {
    this.spec = spec;
    this.rule = rule;
  }

  /**
   * Parses a cron schedule; a schedule that can never fire (30 February) is rejected too.
   *
   * @throws InvalidArgumentException naming what is wrong with {@code spec}
   */
  public static CronSchedule parse(String spec) {
    requireNonNull(spec, "spec is null");
    String rest = spec.trim();
    ZoneId zone = ZoneOffset.UTC;
    if (rest.startsWith("CRON_TZ=") || rest.startsWith("TZ=")) {
      int space = rest.indexOf(' ');
      if (space < 0) {
        throw invalid(spec, "a time zone prefix must be followed by a schedule");
      }
      String zoneName = rest.substring(rest.indexOf('=') + 1, space);
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        throw invalid(spec, "unknown time zone " + zoneName);
      }
      rest = rest.substring(space + 1).trim();
    }
    Rule rule;
    if (rest.startsWith(EVERY)) {
      rule = every(spec, rest.substring(EVERY.length()).trim());
    } else {
      String expression = rest.startsWith("@") ? DESCRIPTORS.get(rest) : rest;
      if (expression == null) {
        throw invalid(spec, "unknown descriptor " + rest);
      }
      rule = fields(spec, expression, zone);
    }
    CronSchedule schedule = new CronSchedule(spec, rule);
    if (schedule.nextAfter(Instant.now()).isEmpty()) {
      throw invalid(spec, "no time can be found to satisfy the schedule");
    }
    return schedule;
  }

  public String spec() {
    return spec;
  }

  /** The first fire time strictly after {@code time}; empty if there is none. */
  public Optional<Instant> nextAfter(Instant time) {
    return rule.nextAfter(requireNonNull(time, "time is null"));
  }

  /**
   * How long to wait from {@code now} for the run scheduled at {@code scheduledTime}'s successor,
   * as Temporal computes a cron workflow's first workflow task backoff: the first fire time after
   * {@code scheduledTime} that is not before {@code now} (or {@code scheduledTime} itself while it
   * is still ahead), rounded up to whole seconds. Fire times missed meanwhile are skipped.
   */
  public Optional<Duration> backoff(Instant scheduledTime, Instant now) {
    Optional<Instant> next;
    if (now.isBefore(scheduledTime)) {
      next = Optional.of(scheduledTime);
    } else {
      next = nextAfter(scheduledTime);
      while (next.isPresent() && next.get().isBefore(now)) {
        next = nextAfter(next.get());
      }
    }
    return next.map(fireTime -> {
      Duration wait = Duration.between(now, fireTime);
      Duration whole = Duration.ofSeconds(wait.getSeconds());
      return wait.equals(whole) ? whole : whole.plusSeconds(1);
    });
  }

  @Override
  public String toString() {
    return spec;
  }

  private static Rule fields(String spec, String expression, ZoneId zone) {
    ExecutionTime executionTime;
    try {
      executionTime = ExecutionTime.forCron(UNIX_PARSER.parse(expression).validate());
    } catch (IllegalArgumentException e) {
      throw invalid(spec, e.getMessage());
    }
    return time -> executionTime.nextExecution(time.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  /** robfig/cron's constant delay: at least a second, in whole seconds, from the time truncated to the second. */
  private static Rule every(String spec, String text) {
    Duration delay = parseGoDuration(spec, text);
    Duration step = delay.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : Duration.ofSeconds(delay.getSeconds());
    return time -> Optional.of(time.truncatedTo(ChronoUnit.SECONDS).plus(step));
  }

  /** A Go duration string ({@code time.ParseDuration}): a sequence of decimal numbers with units ns, us, ms, s, m, h. */
  private static Duration parseGoDuration(String spec, String text) {
    if (text.isEmpty()) {
      throw invalid(spec, "@every needs a duration such as 30s or 1h30m");
    }
    Matcher part = GO_DURATION_PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (part.find() && part.start() == end) {
      nanos += Double.parseDouble(part.group(1)) * nanosPerUnit(part.group(2));
      end = part.end();
    }
    if (end != text.length()) {
      throw invalid(spec, "cannot read the duration \"" + text + "\" (write it like 30s, 15m or 1h30m)");
    }
    if (nanos <= 0) {
      throw invalid(spec, "@every needs a positive duration");
    }
    return Duration.ofNanos((long) nanos);
  }

  private static double nanosPerUnit(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> throw new IllegalStateException("unit not in the pattern: " + unit);
    };
  }

  private static InvalidArgumentException invalid(String spec, String problem) {
    return new InvalidArgumentException("Invalid CronSchedule \"" + spec + "\": " + problem + ".");
  }
}
