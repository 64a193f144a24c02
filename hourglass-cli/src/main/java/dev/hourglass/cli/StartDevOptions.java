package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import dev.hourglass.server.ServerOptions;

/**
 * What {@code hourglass server start-dev} was asked to do, once parsed and resolved.
 *
 * @param server the embedded server's options, the data file already absolute
 * @param logLevel the least severe level logged
 * @param logFormat text for people, json for log collectors
 * @param ui whether and where to serve the web UI
 */
record StartDevOptions(ServerOptions server, LogLevel logLevel, LogFormat logFormat, UiSettings ui) {
  StartDevOptions {
    requireNonNull(server, "server is null");
    requireNonNull(logLevel, "logLevel is null");
    requireNonNull(logFormat, "logFormat is null");
    requireNonNull(ui, "ui is null");
  }

  /** Text logs and no web UI: for runs that need only the server. */
  StartDevOptions(ServerOptions server, LogLevel logLevel) {
    this(server, logLevel, LogFormat.TEXT, UiSettings.HEADLESS);
  }
}
