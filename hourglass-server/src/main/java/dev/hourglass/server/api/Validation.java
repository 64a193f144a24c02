package dev.hourglass.server.api;

import com.google.protobuf.Message;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.taskqueue.v1.TaskQueue;

/** Request checks with Temporal's limits and messages. */
final class Validation {
  /** Temporal's default maximum length of ids and names. */
  static final int MAX_ID_LENGTH = 1_000;
  /** Temporal's default blob size limit (limit.blobSize.error): 2 MB per payload-carrying field. */
  static final int MAX_BLOB_BYTES = 2 * 1024 * 1024;

  private Validation() {}

  static void requireWorkflowId(String workflowId) {
    if (workflowId.isEmpty()) {
      throw new InvalidArgumentException("WorkflowId is not set on request.");
    }
    if (workflowId.length() > MAX_ID_LENGTH) {
      throw new InvalidArgumentException("WorkflowId length exceeds limit.");
    }
  }

  static void requireExecution(WorkflowExecution execution) {
    requireWorkflowId(execution.getWorkflowId());
    if (!execution.getRunId().isEmpty() && !isUuid(execution.getRunId())) {
      throw new InvalidArgumentException("Invalid RunId.");
    }
  }

  static void requireTaskQueue(TaskQueue taskQueue) {
    String name = taskQueue.getName();
    if (name.isEmpty()) {
      throw new InvalidArgumentException("TaskQueue is not set on request.");
    }
    if (name.length() > MAX_ID_LENGTH) {
      throw new InvalidArgumentException("TaskQueue length exceeds limit.");
    }
  }

  static void requireName(String what, String value) {
    if (value.isEmpty()) {
      throw new InvalidArgumentException(what + " is not set on request.");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidArgumentException(what + " length exceeds limit.");
    }
  }

  static void requireBlobSize(String what, Message blob) {
    int size = blob.getSerializedSize();
    if (size > MAX_BLOB_BYTES) {
      throw new InvalidArgumentException("Blob data size exceeds limit: " + what + " is " + size + " bytes, the limit is "
          + MAX_BLOB_BYTES + " bytes.");
    }
  }

  private static boolean isUuid(String value) {
    try {
      java.util.UUID.fromString(value);
      return value.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
