package dev.hourglass.cli.client;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The {@code --output} values: readable tables, or the protobuf JSON mapping for scripts. */
public enum OutputFormat {
  TABLE,
  JSON;

  /** Parses a format in any case; the error lists the choices in the lower case help shows. */
  public static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      for (OutputFormat format : values()) {
        if (format.name().equalsIgnoreCase(value)) {
          return format;
        }
      }
      throw new TypeConversionException("expected one of "
          + Arrays.stream(values()).map(OutputFormat::toString).collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
  }

  /** The choices shown in help and offered by shell completion. */
  public static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(OutputFormat::toString).iterator();
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
