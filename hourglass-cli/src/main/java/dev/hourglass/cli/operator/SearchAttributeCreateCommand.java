package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.InvalidSettingsException;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hourglass operator search-attribute create}: adds custom search attributes to a namespace. */
@Command(name = "create", description = {"Add custom search attributes to the namespace.",
    "Give --name and --type once per attribute, in the same order."}, sortOptions = false)
final class SearchAttributeCreateCommand extends ClientCommand {
  static final String TYPE_PREFIX = "INDEXED_VALUE_TYPE_";

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Attribute name. Repeatable.")
  List<String> names = new ArrayList<>();

  @Option(names = "--type", required = true, paramLabel = "TYPE",
      description = "Attribute type: Keyword, Text, Int, Double, Bool, Datetime or KeywordList. Repeatable.")
  List<String> types = new ArrayList<>();

  @Override
  protected int run(Session session) {
    if (names.size() != types.size()) {
      throw usage("Give one --type per --name (" + names.size() + " names, " + types.size() + " types)");
    }
    AddSearchAttributesRequest.Builder request = AddSearchAttributesRequest.newBuilder().setNamespace(session.namespace());
    for (int i = 0; i < names.size(); i++) {
      request.putSearchAttributes(names.get(i), type(types.get(i)));
    }
    AddSearchAttributesResponse response = session.connection().operatorService().addSearchAttributes(request.build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Search attributes added: " + String.join(", ", names));
    }
    return ExitCodes.OK;
  }

  private static IndexedValueType type(String text) {
    String wanted = text.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
    for (IndexedValueType type : IndexedValueType.values()) {
      if (type.name().startsWith(TYPE_PREFIX) && type != IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED
          && type.name().substring(TYPE_PREFIX.length()).replace("_", "").equals(wanted)) {
        return type;
      }
    }
    throw new InvalidSettingsException("Invalid --type '" + text + "': expected one of " + Arrays.stream(IndexedValueType.values())
        .filter(type -> type.name().startsWith(TYPE_PREFIX) && type != IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED)
        .map(type -> Output.enumName(type, TYPE_PREFIX)).collect(Collectors.joining(", ")));
  }
}
