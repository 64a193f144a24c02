package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hourglass workflow count}: how many workflows match a filter, per group with GROUP BY. */
@Command(name = "count", description = {"Count workflows matching a list filter.",
    "With 'GROUP BY ExecutionStatus' in the query, also the count per status."}, sortOptions = false)
final class CountCommand extends ClientCommand {
  @Option(names = {"-q", "--query"}, paramLabel = "FILTER", description = "List filter (default: every workflow).")
  String query = "";

  @Override
  protected int run(Session session) {
    CountWorkflowExecutionsResponse response = session.connection().workflowService().countWorkflowExecutions(
        CountWorkflowExecutionsRequest.newBuilder().setNamespace(session.namespace()).setQuery(query).build());
    if (session.output().json()) {
      session.output().printJson(response);
      return ExitCodes.OK;
    }
    session.output().line("Total: " + response.getCount());
    if (response.getGroupsCount() > 0) {
      List<List<String>> rows = new ArrayList<>();
      for (CountWorkflowExecutionsResponse.AggregationGroup group : response.getGroupsList()) {
        String values = group.getGroupValuesList().stream().map(value -> Payloads.decode(value).asText()).collect(Collectors.joining(", "));
        rows.add(List.of(values, Long.toString(group.getCount())));
      }
      session.output().table(List.of("Group", "Count"), rows);
    }
    return ExitCodes.OK;
  }
}
