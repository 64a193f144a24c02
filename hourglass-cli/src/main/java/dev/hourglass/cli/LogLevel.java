package dev.hourglass.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The {@code --log-level} values: the least severe level printed. */
enum LogLevel {
  DEBUG(Level.DEBUG),
  INFO(Level.INFO),
  WARN(Level.WARN),
  ERROR(Level.ERROR);

  private final Level logbackLevel;

  LogLevel(Level logbackLevel) {
    this.logbackLevel = logbackLevel;
  }

  Level logbackLevel() {
    return logbackLevel;
  }

  /**
   * Sets the root logger to this level and raises any logger configured below it.
   *
   * <p>logback.xml quiets chatty libraries (gRPC, Netty, Flyway) to WARN; {@code --log-level
   * debug} keeps them quiet (their DEBUG output drowns ours), while {@code --log-level error}
   * must silence their warnings too, so this only ever raises a logger's level.
   */
  void applyTo(LoggerContext context) {
    requireNonNull(context, "context is null");
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(logbackLevel);
    for (Logger logger : context.getLoggerList()) {
      Level configured = logger.getLevel();
      if (configured != null && !configured.isGreaterOrEqual(logbackLevel)) {
        logger.setLevel(logbackLevel);
      }
    }
  }

  /**
   * Parses a level in any case. Picocli's own enum conversion would list the choices in upper
   * case in its error message, unlike the lower case the help and Temporal's CLI use.
   */
  static final class Converter implements ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      for (LogLevel level : values()) {
        if (level.name().equalsIgnoreCase(value)) {
          return level;
        }
      }
      throw new TypeConversionException("expected one of " + choices() + " but was '" + value + "'");
    }
  }

  /** The choices shown in help: debug, info, warn, error. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(LogLevel::toString).iterator();
    }
  }

  private static String choices() {
    return Arrays.stream(values()).map(LogLevel::toString).collect(Collectors.joining(", "));
  }

  /** Lower case, as typed on the command line and shown in help. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
