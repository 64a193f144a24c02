package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.timers.TimerSystemOptions;

/**
 * What {@code hourglass up} was asked to do, once parsed and resolved.
 *
 * @param system the timer system's options, the data file already absolute
 * @param logLevel the least severe level logged
 * @param logFormat text for people, json for log collectors
 * @param ui whether and where to serve the web UI (beside the embedded server only)
 */
record UpOptions(TimerSystemOptions system, LogLevel logLevel, LogFormat logFormat, UiSettings ui) {
  UpOptions {
    requireNonNull(system, "system is null");
    requireNonNull(logLevel, "logLevel is null");
    requireNonNull(logFormat, "logFormat is null");
    requireNonNull(ui, "ui is null");
  }

  /** Text logs and no web UI: for runs that need only the server. */
  UpOptions(TimerSystemOptions system, LogLevel logLevel) {
    this(system, logLevel, LogFormat.TEXT, UiSettings.HEADLESS);
  }
}
