package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.InvalidSettingsException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses enum flags the way the {@code temporal} CLI spells them ({@code AllowDuplicate},
 * {@code TerminateExisting}), also accepting {@code allow-duplicate}, {@code ALLOW_DUPLICATE} and
 * the full protobuf name.
 */
final class ProtoEnums {
  private ProtoEnums() {}

  static <E extends Enum<E>> E parse(Class<E> type, String prefix, String text, String flag) {
    String wanted = normalize(text.startsWith(prefix) ? text.substring(prefix.length()) : text);
    for (E value : type.getEnumConstants()) {
      if (value.name().startsWith(prefix) && !value.name().endsWith("_UNSPECIFIED") && !value.name().equals("UNRECOGNIZED")
          && normalize(value.name().substring(prefix.length())).equals(wanted)) {
        return value;
      }
    }
    throw new InvalidSettingsException("Invalid " + flag + " '" + text + "': expected one of " + choices(type, prefix));
  }

  static <E extends Enum<E>> String choices(Class<E> type, String prefix) {
    return Arrays.stream(type.getEnumConstants())
        .filter(value -> value.name().startsWith(prefix) && !value.name().endsWith("_UNSPECIFIED"))
        .map(value -> dev.hourglass.cli.client.Output.enumName(value, prefix))
        .collect(Collectors.joining(", "));
  }

  private static String normalize(String text) {
    return text.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
  }
}
