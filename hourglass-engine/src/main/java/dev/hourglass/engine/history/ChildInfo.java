package dev.hourglass.engine.history;

import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.enums.v1.ParentClosePolicy;

/**
 * One child workflow this run initiated and has not yet seen close. The start request waits here
 * until the child is started (then it is dropped: the input is in history); the started run id is
 * what the parent close policy and the completion refer to.
 */
final class ChildInfo {
  long initiatedEventId;
  String namespace = "";
  String workflowId = "";
  String workflowType = "";
  /** The command as normalized at initiation; null once the child started, or the parent closed first. */
  StartChildWorkflowExecutionCommandAttributes startCommand;
  int parentClosePolicy = ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE_VALUE;
  /** The command's summary and details, for the child's start; null when none, once started, or once the parent closed. */
  io.temporal.api.sdk.v1.UserMetadata userMetadata;
  /** The first run of the child; empty until started. */
  String startedRunId = "";
  /** 0 until ChildWorkflowExecutionStarted is in history (it may wait in the buffer). */
  long startedEventId;
  /** The transfer row that starts the child; 0 once done. */
  long startTaskId;

  boolean started() {
    return !startedRunId.isEmpty();
  }
}
