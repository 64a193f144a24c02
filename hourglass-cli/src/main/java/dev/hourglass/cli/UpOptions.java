package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.timers.TimerSystemOptions;

/**
 * What {@code hourglass up} was asked to do, once parsed and resolved.
 *
 * @param system the timer system's options, the data file already absolute
 * @param logLevel the least severe level logged
 * @param ui whether and where to serve the web UI (beside the embedded server only)
 */
record UpOptions(TimerSystemOptions system, LogLevel logLevel, UiSettings ui) {
  UpOptions {
    requireNonNull(system, "system is null");
    requireNonNull(logLevel, "logLevel is null");
    requireNonNull(ui, "ui is null");
  }

  /** Without the web UI. */
  UpOptions(TimerSystemOptions system, LogLevel logLevel) {
    this(system, logLevel, UiSettings.HEADLESS);
  }
}
