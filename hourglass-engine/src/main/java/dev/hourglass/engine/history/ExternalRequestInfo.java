package dev.hourglass.engine.history;

import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payloads;

/**
 * A signal or cancellation request this run sends to another workflow, from its initiated event
 * until the target confirms (or is found missing). The signal's arguments wait here because the
 * transfer task that delivers them carries only the initiated event id.
 */
final class ExternalRequestInfo {
  long initiatedEventId;
  boolean cancel;
  String namespace = "";
  String workflowId = "";
  String runId = "";
  boolean childWorkflowOnly;
  String control = "";
  String signalName = "";
  Payloads input;
  Header header;
  String reason = "";
  long taskId;
}
