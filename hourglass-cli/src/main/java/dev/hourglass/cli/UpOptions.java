package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.timers.TimerSystemOptions;

/**
 * What {@code hourglass up} was asked to do, once parsed and resolved.
 *
 * @param system the timer system's options, the data file already absolute
 * @param logLevel the least severe level logged
 * @param logFormat text for people, json for log collectors
 */
record UpOptions(TimerSystemOptions system, LogLevel logLevel, LogFormat logFormat) {
  UpOptions {
    requireNonNull(system, "system is null");
    requireNonNull(logLevel, "logLevel is null");
    requireNonNull(logFormat, "logFormat is null");
  }

  UpOptions(TimerSystemOptions system, LogLevel logLevel) {
    this(system, logLevel, LogFormat.TEXT);
  }
}
