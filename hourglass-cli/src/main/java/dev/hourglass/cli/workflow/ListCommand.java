package dev.hourglass.cli.workflow;

import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hourglass workflow list}: workflows matching a list filter, newest first, all pages. */
@Command(name = "list", description = "List workflows, optionally filtered with Temporal's list filter language.", sortOptions = false)
final class ListCommand extends ClientCommand {
  private static final int PAGE_SIZE = 100;

  @Option(names = {"-q", "--query"}, paramLabel = "FILTER",
      description = "List filter, e.g. \"WorkflowType = 'Greeting' AND ExecutionStatus = 'Running'\" (default: every workflow).")
  String query = "";

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N workflows (default: all).")
  int limit;

  @Override
  protected int run(Session session) {
    if (limit < 0) {
      throw usage("--limit must not be negative: " + limit);
    }
    List<WorkflowExecutionInfo> executions = fetch(session);
    if (session.output().json()) {
      session.output().printJsonArray(executions);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (WorkflowExecutionInfo info : executions) {
      rows.add(List.of(Output.enumName(info.getStatus(), "WORKFLOW_EXECUTION_STATUS_"), info.getExecution().getWorkflowId(),
          info.getType().getName(), Output.time(info.getStartTime())));
    }
    session.output().table(List.of("Status", "WorkflowId", "Type", "StartTime"), rows);
    return ExitCodes.OK;
  }

  private List<WorkflowExecutionInfo> fetch(Session session) {
    List<WorkflowExecutionInfo> executions = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse page = session.connection().workflowService().listWorkflowExecutions(
          ListWorkflowExecutionsRequest.newBuilder()
              .setNamespace(session.namespace())
              .setQuery(query)
              .setPageSize(limit > 0 ? Math.min(PAGE_SIZE, limit - executions.size()) : PAGE_SIZE)
              .setNextPageToken(token)
              .build());
      executions.addAll(page.getExecutionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && (limit == 0 || executions.size() < limit));
    return limit > 0 && executions.size() > limit ? executions.subList(0, limit) : executions;
  }
}
