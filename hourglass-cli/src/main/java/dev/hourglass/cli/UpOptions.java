package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.timers.TimerSystemOptions;

/**
 * What {@code hourglass up} was asked to do, once parsed and resolved.
 *
 * @param system the timer system's options, the data file already absolute
 * @param logLevel the least severe level logged
 */
record UpOptions(TimerSystemOptions system, LogLevel logLevel) {
  UpOptions {
    requireNonNull(system, "system is null");
    requireNonNull(logLevel, "logLevel is null");
  }
}
