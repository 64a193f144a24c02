package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hourglass workflow query}: asks a workflow's query handler and prints the answer. */
@Command(name = "query", description = {"Query a workflow and print the answer.",
    "Exits with 1 when the query was rejected by --reject-condition."}, sortOptions = false)
final class QueryCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @Option(names = {"--name", "--type"}, required = true, paramLabel = "NAME", description = "Query name, as the workflow defines it.")
  String name;

  @Mixin
  InputOptions input;

  @Option(names = "--reject-condition", paramLabel = "CONDITION",
      description = "Refuse to query a workflow that is: NotOpen (closed) or NotCompletedCleanly (closed other than completed).")
  String rejectCondition;

  @Override
  protected int run(Session session) {
    WorkflowQuery.Builder query = WorkflowQuery.newBuilder().setQueryType(name);
    if (!input.isEmpty()) {
      query.setQueryArgs(input.payloads());
    }
    QueryWorkflowRequest.Builder request = QueryWorkflowRequest.newBuilder()
        .setNamespace(session.namespace())
        .setExecution(execution.execution())
        .setQuery(query);
    if (rejectCondition != null) {
      request.setQueryRejectCondition(
          ProtoEnums.parse(QueryRejectCondition.class, "QUERY_REJECT_CONDITION_", rejectCondition, "--reject-condition"));
    }
    QueryWorkflowResponse response = session.connection().workflowService().queryWorkflow(request.build());
    if (response.hasQueryRejected()) {
      session.error("Error: query rejected: workflow status is "
          + Output.enumName(response.getQueryRejected().getStatus(), "WORKFLOW_EXECUTION_STATUS_"));
      return ExitCodes.SERVER_ERROR;
    }
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line(Payloads.toText(Payloads.decode(response.getQueryResult())));
    }
    return ExitCodes.OK;
  }
}
