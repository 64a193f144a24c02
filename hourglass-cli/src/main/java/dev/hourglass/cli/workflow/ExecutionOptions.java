package dev.hourglass.cli.workflow;

import io.temporal.api.common.v1.WorkflowExecution;
import picocli.CommandLine.Option;

/** {@code -w}/{@code -r}: which workflow a command acts on; without a run id, its latest run. */
final class ExecutionOptions {
  @Option(names = {"-w", "--workflow-id"}, required = true, paramLabel = "ID", description = "Workflow id.")
  String workflowId;

  @Option(names = {"-r", "--run-id"}, paramLabel = "ID", description = "Run id (default: the latest run).")
  String runId = "";

  WorkflowExecution execution() {
    return WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build();
  }
}
