package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerStartException;
import dev.hourglass.ui.HourglassUi;
import dev.hourglass.ui.UiStartException;
import java.util.Optional;
import dev.hourglass.timers.TimerSystem;
import dev.hourglass.timers.TimerSystemOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts a {@link TimerSystem} — the embedded server unless an external one was given, the REST
 * API and the worker as the role says — tells the user where each part listens, and blocks until
 * a signal closes it through a shutdown hook.
 */
final class TimerSystemRunner implements UpRunner {
  /** Exit code when the system cannot start. */
  static final int EXIT_FAILURE = 1;
  /** Spring and Tomcat describe their own plumbing at INFO; their warnings still show. */
  private static final List<String> QUIET_LOGGERS = List.of(
      "org.springframework", "org.apache.catalina", "org.apache.coyote", "org.apache.tomcat", "org.springdoc",
      "org.hibernate.validator", "io.swagger");
  /**
   * The SDK logs every failed activity attempt and failed workflow with a stack trace at WARN; the
   * timer service logs each failed webhook call and failed delivery in one line of its own.
   */
  private static final List<String> SDK_FAILURE_LOGGERS = List.of(
      "io.temporal.internal.activity.ActivityTaskExecutors", "io.temporal.internal.sync.WorkflowExecutionHandler");
  /** springdoc warns at every start that its endpoints are on; here that is the point. */
  private static final String SPRINGDOC_STARTUP_WARNING = "org.springdoc.core.events.SpringDocAppInitializer";
  /** Spring reports a failed start with a stack trace and an analysis; {@code up} prints one line instead. */
  private static final List<String> SILENT_LOGGERS = List.of(
      "org.springframework.boot.SpringApplication", "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
      "org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext");

  private final Consumer<Thread> addShutdownHook;

  TimerSystemRunner(Consumer<Thread> addShutdownHook) {
    this.addShutdownHook = requireNonNull(addShutdownHook, "addShutdownHook is null");
  }

  @Override
  public int run(UpOptions options, PrintWriter out, PrintWriter err) throws InterruptedException {
    requireNonNull(options, "options is null");
    configureLogging(options.logLevel(), options.logFormat());
    TimerSystem system;
    try {
      system = TimerSystem.start(options.system());
    } catch (ServerStartException e) {
      err.println(e.getMessage());
      err.flush();
      return EXIT_FAILURE;
    } catch (RuntimeException e) {
      err.println("Cannot start: " + reason(e, options.system()));
      err.flush();
      return EXIT_FAILURE;
    }
    Optional<HourglassUi> ui;
    try {
      // The UI shows the embedded server; with --temporal-address that server has its own.
      ui = system.server().isPresent() ? WebUiLauncher.start(options.ui(), system.server().get()) : Optional.empty();
    } catch (UiStartException e) {
      system.close();
      err.println(e.getMessage());
      err.flush();
      return EXIT_FAILURE;
    }
    addShutdownHook.accept(new Thread(() -> {
      ui.ifPresent(HourglassUi::close);
      system.close();
    }, "hourglass-up-shutdown"));
    printWhereEverythingIs(system, out);
    WebUiLauncher.printUrl(ui, out);
    out.flush();
    try {
      system.awaitTermination();
    } catch (InterruptedException e) {
      ui.ifPresent(HourglassUi::close);
      system.close();
      throw e;
    }
    return 0;
  }

  private static void printWhereEverythingIs(TimerSystem system, PrintWriter out) {
    TimerSystemOptions options = system.options();
    if (system.server().isPresent()) {
      HourglassServer server = system.server().get();
      out.println("Hourglass server listening on " + server.target());
      out.println("Data: " + server.dataLocation());
      DevServerRunner.printManagement(server, out);
    } else {
      out.println("Using the server at " + system.temporalAddress());
    }
    system.apiUrl().ifPresent(url -> out.println("Timer API listening on " + url + " (Swagger UI: " + url + "/api-docs)"));
    if (options.role().runsWorker()) {
      out.println("Timer worker polling task queue " + options.taskQueue() + " in namespace " + options.namespace()
          + " on " + system.temporalAddress());
    }
    out.flush();
  }

  /** The most telling message in the failure's chain: a port in use, in the user's terms. */
  private static String reason(Throwable error, TimerSystemOptions options) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getSimpleName().equals("PortInUseException") || cause instanceof java.net.BindException) {
        return "port " + options.apiPort() + " on " + options.apiAddress() + " is already in use (is another timer service running?)";
      }
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root + ")";
  }

  /**
   * The CLI's Logback configuration stays in charge: Spring Boot is told not to reconfigure
   * logging, the level flag applies as for {@code server start-dev}, and Spring's and Tomcat's
   * INFO chatter is kept out.
   */
  private static void configureLogging(LogLevel level, LogFormat format) {
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    // Tomcat logs through java.util.logging: route it to Logback like everything else.
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      for (String name : QUIET_LOGGERS) {
        context.getLogger(name).setLevel(Level.WARN);
      }
      context.getLogger(SPRINGDOC_STARTUP_WARNING).setLevel(Level.ERROR);
      for (String name : SDK_FAILURE_LOGGERS) {
        context.getLogger(name).setLevel(Level.ERROR);
      }
      for (String name : SILENT_LOGGERS) {
        context.getLogger(name).setLevel(Level.OFF);
      }
      level.applyTo(context);
      format.applyTo(context);
    }
  }
}
