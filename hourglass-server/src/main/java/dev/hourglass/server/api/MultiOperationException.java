package dev.hourglass.server.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ExecuteMultiOperation failed: one error per operation, in request order; {@code null} for an
 * operation that was not run because another failed (Temporal's "aborted"). {@link StatusMapper}
 * turns it into Temporal's {@code MultiOperationExecutionFailure}, which the SDK unpacks.
 */
final class MultiOperationException extends RuntimeException {
  private final List<RuntimeException> operationErrors;

  MultiOperationException(List<RuntimeException> operationErrors) {
    super("Update-with-Start could not be executed.");
    this.operationErrors = Collections.unmodifiableList(new ArrayList<>(operationErrors));
  }

  /** The failed operation's error at {@code index}; the other operation is aborted. */
  static MultiOperationException failedAt(int index, int operations, RuntimeException error) {
    List<RuntimeException> errors = new ArrayList<>(Collections.nCopies(operations, null));
    errors.set(index, error);
    return new MultiOperationException(errors);
  }

  List<RuntimeException> operationErrors() {
    return operationErrors;
  }
}
