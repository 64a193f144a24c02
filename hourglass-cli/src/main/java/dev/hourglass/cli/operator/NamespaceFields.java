package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The namespace settings {@code create} and {@code update} take. */
final class NamespaceFields {
  @Option(names = "--description", paramLabel = "TEXT", description = "What the namespace is for.")
  String description;

  @Option(names = "--email", paramLabel = "ADDRESS", description = "Owner's e-mail address.")
  String email;

  @Option(names = "--retention", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "How long closed workflows are kept, e.g. 72h or 30d (default on create: the server's, 24h).")
  Duration retention;

  @Option(names = "--data", paramLabel = "KEY=VALUE", description = "A key/value pair of the namespace's data. Repeatable.")
  Map<String, String> data = new LinkedHashMap<>();
}
