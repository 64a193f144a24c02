package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/**
 * A command would pass a per-workflow limit (pending children, signals, cancel requests): the
 * workflow task fails with the cause Temporal gives for that limit rather than a bad-attributes one.
 */
final class LimitExceededException extends InvalidArgumentException {
  private final WorkflowTaskFailedCause taskFailedCause;

  LimitExceededException(WorkflowTaskFailedCause taskFailedCause, String message) {
    super(message);
    this.taskFailedCause = requireNonNull(taskFailedCause, "taskFailedCause is null");
  }

  WorkflowTaskFailedCause taskFailedCause() {
    return taskFailedCause;
  }
}
