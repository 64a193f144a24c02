package dev.hourglass.tests.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures what the Temporal SDK ({@code io.temporal.*}) logs at WARN or ERROR while each test runs,
 * on any thread (worker pollers, activity executors, the gRPC retryer). The bar for Hourglass: the
 * SDK logs nothing against it that it would not log against Temporal, so a test class asserts on
 * {@link #events()} in a dedicated test that drives only behaviour Temporal serves silently.
 *
 * <p>Register per test class with {@code @RegisterExtension final SdkLogCapture sdkLogs = new
 * SdkLogCapture();}. Capture spans {@code @BeforeEach} to the end of {@code @AfterEach}, so worker
 * shutdown is included. After each test every captured line is appended to {@value #REPORT_FILE}
 * (relative to the module directory) so the warnings of all tests can be reviewed in one place.
 */
public final class SdkLogCapture implements BeforeEachCallback, AfterEachCallback {
  public static final String SDK_LOGGER = "io.temporal";
  public static final String REPORT_FILE = "target/sdk-log-events.txt";

  private final ConcurrentLinkedQueue<CapturedLogEvent> events = new ConcurrentLinkedQueue<>();
  private final CapturingAppender appender = new CapturingAppender();

  @Override
  public void beforeEach(ExtensionContext context) {
    events.clear();
    Logger sdkLogger = sdkLogger();
    appender.setContext(sdkLogger.getLoggerContext());
    appender.start();
    sdkLogger.addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    sdkLogger().detachAppender(appender);
    appender.stop();
    if (!events.isEmpty()) {
      appendToReport(context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName(), events());
    }
  }

  /** Everything captured so far in the current test, in logging order. */
  public List<CapturedLogEvent> events() {
    return List.copyOf(events);
  }

  /** What was captured, less the lines the test expects because Temporal logs them too. */
  public List<CapturedLogEvent> eventsExcept(Predicate<CapturedLogEvent> expected) {
    return events.stream().filter(expected.negate()).collect(Collectors.toUnmodifiableList());
  }

  private static Logger sdkLogger() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return context.getLogger(SDK_LOGGER);
  }

  private static void appendToReport(String testName, List<CapturedLogEvent> captured) {
    StringBuilder report = new StringBuilder("== ").append(testName).append(System.lineSeparator());
    for (CapturedLogEvent event : captured) {
      report.append("   ").append(event).append(System.lineSeparator());
    }
    try {
      Path file = Path.of(REPORT_FILE);
      Files.createDirectories(file.getParent());
      Files.writeString(file, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + REPORT_FILE, e);
    }
  }

  private final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
        IThrowableProxy thrown = event.getThrowableProxy();
        String throwable = thrown == null ? "" : thrown.getClassName() + ": " + thrown.getMessage();
        events.add(new CapturedLogEvent(
            event.getLevel().toString(), event.getLoggerName(), event.getThreadName(), event.getFormattedMessage(), throwable));
      }
    }
  }
}
