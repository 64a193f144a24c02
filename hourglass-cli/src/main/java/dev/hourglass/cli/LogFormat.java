package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.logstash.logback.encoder.LogstashEncoder;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --log-format} values: {@code text}, lines for people (logback.xml's pattern), or
 * {@code json}, one JSON object per line for log collectors, where every SLF4J key-value
 * ({@code workflowId}, {@code shardId}, …) is a field of its own (logstash-logback-encoder's
 * {@link LogstashEncoder}: {@code @timestamp}, {@code level}, {@code logger_name},
 * {@code thread_name}, {@code message}, {@code stack_trace}, and the key-values).
 */
enum LogFormat {
  TEXT,
  JSON;

  /** The environment variable read when no {@code --log-format} is given. */
  static final String ENV = "HOURGLASS_LOG_FORMAT";
  /** The console appender logback.xml defines; its encoder is the one replaced. */
  private static final String APPENDER = "STDERR";

  /**
   * The flag's value, else the environment variable's, else text.
   *
   * @throws IllegalArgumentException when the variable names no format
   */
  static LogFormat resolve(LogFormat flag, Map<String, String> environment) {
    if (flag != null) {
      return flag;
    }
    Optional<String> variable = Optional.ofNullable(environment.get(ENV)).map(String::trim).filter(value -> !value.isEmpty());
    try {
      return variable.map(value -> new Converter().convert(value)).orElse(TEXT);
    } catch (TypeConversionException e) {
      throw new IllegalArgumentException(ENV + ": " + e.getMessage(), e);
    }
  }

  /** Switches the console output to this format; text leaves logback.xml's configuration as it is. */
  void applyTo(LoggerContext context) {
    requireNonNull(context, "context is null");
    if (this == TEXT) {
      return;
    }
    Appender<ILoggingEvent> appender = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
    if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
      return;
    }
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.start();
    console.stop();
    console.setEncoder(encoder);
    console.start();
  }

  /** Parses a format in any case, listing the choices in lower case when it is none of them. */
  static final class Converter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      for (LogFormat format : values()) {
        if (format.name().equalsIgnoreCase(value)) {
          return format;
        }
      }
      throw new TypeConversionException("expected one of " + Arrays.stream(values()).map(LogFormat::toString)
          .collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
  }

  /** The choices shown in help: text, json. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(LogFormat::toString).iterator();
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
