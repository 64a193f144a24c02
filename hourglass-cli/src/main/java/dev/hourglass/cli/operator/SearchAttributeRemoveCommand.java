package dev.hourglass.cli.operator;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hourglass operator search-attribute remove}: removes custom search attributes from a namespace. */
@Command(name = "remove", description = "Remove custom search attributes from the namespace.", sortOptions = false)
final class SearchAttributeRemoveCommand extends ClientCommand {
  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Attribute name. Repeatable.")
  List<String> names = new ArrayList<>();

  @Override
  protected int run(Session session) {
    RemoveSearchAttributesResponse response = session.connection().operatorService().removeSearchAttributes(
        RemoveSearchAttributesRequest.newBuilder().setNamespace(session.namespace()).addAllSearchAttributes(names).build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Search attributes removed: " + String.join(", ", names));
    }
    return ExitCodes.OK;
  }
}
