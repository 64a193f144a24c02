package dev.hourglass.cli.workflow;

import dev.hourglass.cli.client.Durations;
import dev.hourglass.cli.client.Payloads;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code workflow start} and {@code workflow execute} start, and what a schedule's action
 * starts, flags named as in {@code temporal}.
 */
public final class StartOptions {
  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Workflow type, as the worker registered it.")
  String type;

  @Option(names = {"-t", "--task-queue"}, required = true, paramLabel = "QUEUE", description = "Task queue the worker polls.")
  String taskQueue;

  @Option(names = {"-w", "--workflow-id"}, paramLabel = "ID", description = "Workflow id (default: a random UUID).")
  String workflowId;

  @Mixin
  InputOptions input;

  @Option(names = "--execution-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "Limit for the whole execution, retries and continue-as-new included.")
  Duration executionTimeout;

  @Option(names = "--run-timeout", paramLabel = "DURATION", converter = Durations.Converter.class, description = "Limit for one run.")
  Duration runTimeout;

  @Option(names = "--task-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "Limit for one workflow task (default: the server's, 10s).")
  Duration taskTimeout;

  @Option(names = "--id-reuse-policy", paramLabel = "POLICY",
      description = "Whether a closed workflow's id may start again: AllowDuplicate, AllowDuplicateFailedOnly, RejectDuplicate, TerminateIfRunning.")
  String idReusePolicy;

  @Option(names = "--id-conflict-policy", paramLabel = "POLICY",
      description = "What happens when the id is running: Fail, UseExisting, TerminateExisting.")
  String idConflictPolicy;

  @Option(names = "--memo", paramLabel = "KEY=JSON", description = "A memo field, the value as JSON. Repeatable.")
  Map<String, String> memo = new LinkedHashMap<>();

  @Option(names = "--search-attribute", paramLabel = "KEY=JSON", description = "A search attribute, the value as JSON. Repeatable.")
  Map<String, String> searchAttributes = new LinkedHashMap<>();

  /** The {@code -w} given, if any: a schedule falls back to its own id rather than a random one. */
  public java.util.Optional<String> workflowId() {
    return java.util.Optional.ofNullable(workflowId);
  }

  public StartWorkflowExecutionRequest request(String namespace, String identity) {
    StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setWorkflowId(workflowId != null ? workflowId : UUID.randomUUID().toString())
        .setWorkflowType(WorkflowType.newBuilder().setName(type))
        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
        .setIdentity(identity)
        .setRequestId(UUID.randomUUID().toString());
    if (!input.isEmpty()) {
      request.setInput(input.payloads());
    }
    if (executionTimeout != null) {
      request.setWorkflowExecutionTimeout(Durations.toProto(executionTimeout));
    }
    if (runTimeout != null) {
      request.setWorkflowRunTimeout(Durations.toProto(runTimeout));
    }
    if (taskTimeout != null) {
      request.setWorkflowTaskTimeout(Durations.toProto(taskTimeout));
    }
    if (idReusePolicy != null) {
      request.setWorkflowIdReusePolicy(
          ProtoEnums.parse(WorkflowIdReusePolicy.class, "WORKFLOW_ID_REUSE_POLICY_", idReusePolicy, "--id-reuse-policy"));
    }
    if (idConflictPolicy != null) {
      request.setWorkflowIdConflictPolicy(
          ProtoEnums.parse(WorkflowIdConflictPolicy.class, "WORKFLOW_ID_CONFLICT_POLICY_", idConflictPolicy, "--id-conflict-policy"));
    }
    if (!memo.isEmpty()) {
      Memo.Builder fields = Memo.newBuilder();
      memo.forEach((key, json) -> fields.putFields(key, Payloads.encode(json, "--memo " + key)));
      request.setMemo(fields);
    }
    if (!searchAttributes.isEmpty()) {
      SearchAttributes.Builder fields = SearchAttributes.newBuilder();
      searchAttributes.forEach((key, json) -> fields.putIndexedFields(key, Payloads.encode(json, "--search-attribute " + key)));
      request.setSearchAttributes(fields);
    }
    return request.build();
  }
}
