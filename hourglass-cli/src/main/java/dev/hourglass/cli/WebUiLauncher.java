package dev.hourglass.cli;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.ui.HourglassUi;
import dev.hourglass.ui.UiStartException;
import java.io.PrintWriter;
import java.util.Optional;

/** Starts the web UI beside a server the command started, unless {@code --headless}; shared by start-dev, start and up. */
final class WebUiLauncher {
  private WebUiLauncher() {}

  /**
   * @return the running UI, or empty when headless
   * @throws UiStartException when its port is taken
   */
  static Optional<HourglassUi> start(UiSettings settings, HourglassServer server) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    return Optional.of(HourglassUi.start(settings.options(server.options().ip(), server.port(), server.target(), server.clientTls())));
  }

  static void printUrl(Optional<HourglassUi> ui, PrintWriter out) {
    ui.ifPresent(running -> out.println("Web UI: " + running.url()));
  }
}
