package dev.hourglass.engine.history;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.WorkflowExecutionTerminatedEventAttributes;
import java.nio.charset.StandardCharsets;

/** Terminating a run: by an operator (TerminateWorkflowExecution) or by a start that replaces it (TERMINATE_EXISTING). */
final class Termination {
  /** The identity Temporal's history service writes on terminations it does itself. */
  static final String HISTORY_SERVICE_IDENTITY = "history-service";

  private Termination() {}

  /** Closes the running run as terminated; a retry policy or cron schedule never starts another run after it. */
  static void terminate(ExecutionMutation mutation, WorkflowTasks workflowTasks, String reason, Payloads details, String identity) {
    workflowTasks.flushBuffered(mutation);
    WorkflowCloser.close(mutation, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, event -> {
          WorkflowExecutionTerminatedEventAttributes.Builder attributes = WorkflowExecutionTerminatedEventAttributes.newBuilder()
              .setReason(reason)
              .setIdentity(identity);
          if (details != null) {
            attributes.setDetails(details);
          }
          event.setWorkflowExecutionTerminatedEventAttributes(attributes);
        });
  }

  /** A string as the SDKs' default data converter writes it (json/plain), readable by any client. */
  static Payloads textPayload(String text) {
    String json = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    return Payloads.newBuilder().addPayloads(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))).build();
  }
}
