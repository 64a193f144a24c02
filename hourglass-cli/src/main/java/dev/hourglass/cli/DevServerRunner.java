package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.LoggerContext;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerStartException;
import dev.hourglass.ui.HourglassUi;
import dev.hourglass.ui.UiStartException;
import java.util.Optional;
import java.io.PrintWriter;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Starts an {@link HourglassServer}, tells the user where it listens and keeps its data, and
 * blocks until the server stops. A shutdown hook closes the server on SIGTERM or Ctrl-C, so the
 * store commits what it has and releases the data file before the JVM exits.
 */
final class DevServerRunner implements ServerRunner {
  /** Exit code when the server cannot start or stops abnormally. */
  static final int EXIT_FAILURE = 1;

  private final Consumer<Thread> addShutdownHook;

  /**
   * @param addShutdownHook {@code Runtime.getRuntime()::addShutdownHook} in the real command;
   *     tests keep the hook and run it themselves instead of signalling their own JVM
   */
  DevServerRunner(Consumer<Thread> addShutdownHook) {
    this.addShutdownHook = requireNonNull(addShutdownHook, "addShutdownHook is null");
  }

  @Override
  public int run(StartDevOptions options, PrintWriter out, PrintWriter err) throws InterruptedException {
    requireNonNull(options, "options is null");
    configureLogging(options.logLevel(), options.logFormat());
    HourglassServer server;
    try {
      server = HourglassServer.start(options.server());
    } catch (ServerStartException e) {
      // The message is written for operators; a stack trace would bury it.
      err.println(e.getMessage());
      err.flush();
      return EXIT_FAILURE;
    }
    Optional<HourglassUi> ui;
    try {
      ui = WebUiLauncher.start(options.ui(), server);
    } catch (UiStartException e) {
      server.close();
      err.println(e.getMessage());
      err.flush();
      return EXIT_FAILURE;
    }
    addShutdownHook.accept(new Thread(() -> {
      ui.ifPresent(HourglassUi::close);
      server.close();
    }, "hourglass-shutdown"));
    out.println("Hourglass server listening on " + server.target());
    out.println("Data: " + server.dataLocation());
    printManagement(server, out);
    WebUiLauncher.printUrl(ui, out);
    out.flush();
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      ui.ifPresent(HourglassUi::close);
      server.close();
      throw e;
    }
    return 0;
  }

  /** "Management: http://…" when the server serves its management endpoints; shared with {@code up}. */
  static void printManagement(HourglassServer server, PrintWriter out) {
    server.managementPort().ifPresent(port -> out.println("Management: http://" + hostForUrl(server.options().ip()) + ":" + port
        + " (/metrics, /health/live, /health/ready)"));
  }

  private static String hostForUrl(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  private static void configureLogging(LogLevel level, LogFormat format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    // Logback is the binding shipped with the CLI; under another one (an IDE, an embedding
    // application) its own configuration decides and the flags are ignored.
    if (factory instanceof LoggerContext context) {
      level.applyTo(context);
      format.applyTo(context);
    }
  }
}
