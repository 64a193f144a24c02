package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code hourglass operator search-attribute list}: the namespace's custom and the system search attributes. */
@Command(name = "list", description = "List the namespace's custom search attributes and the system ones.", sortOptions = false)
final class SearchAttributeListCommand extends ClientCommand {
  @Override
  protected int run(Session session) {
    ListSearchAttributesResponse response = session.connection().operatorService().listSearchAttributes(
        ListSearchAttributesRequest.newBuilder().setNamespace(session.namespace()).build());
    if (session.output().json()) {
      session.output().printJson(response);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    addRows(rows, response.getCustomAttributesMap(), "Custom");
    addRows(rows, response.getSystemAttributesMap(), "System");
    session.output().table(List.of("Name", "Type", "Kind"), rows);
    return ExitCodes.OK;
  }

  private static void addRows(List<List<String>> rows, Map<String, IndexedValueType> attributes, String kind) {
    new TreeMap<>(attributes).forEach((name, type) ->
        rows.add(List.of(name, Output.enumName(type, SearchAttributeCreateCommand.TYPE_PREFIX), kind)));
  }
}
