package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class LogLevelTest {
  // A context of our own: the test JVM's logging stays as configured.
  private final LoggerContext context = new LoggerContext();

  @Test
  void setsRootLevel() {
    LogLevel.DEBUG.applyTo(context);

    assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void debugKeepsQuietedLibrariesQuiet() {
    context.getLogger("io.grpc").setLevel(Level.WARN);

    LogLevel.DEBUG.applyTo(context);

    assertThat(context.getLogger("io.grpc").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.hourglass.engine").getEffectiveLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void errorSilencesLibraryWarnings() {
    context.getLogger("io.grpc").setLevel(Level.WARN);
    context.getLogger("org.flywaydb.core.internal.command.DbMigrate").setLevel(Level.INFO);

    LogLevel.ERROR.applyTo(context);

    assertThat(context.getLogger("io.grpc").getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.flywaydb.core.internal.command.DbMigrate").getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("dev.hourglass").getEffectiveLevel()).isEqualTo(Level.ERROR);
  }

  @Test
  void convertsAnyCase() {
    LogLevel.Converter converter = new LogLevel.Converter();

    assertThat(converter.convert("warn")).isEqualTo(LogLevel.WARN);
    assertThat(converter.convert("Info")).isEqualTo(LogLevel.INFO);
    assertThatThrownBy(() -> converter.convert("trace"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("debug, info, warn, error");
  }
}
