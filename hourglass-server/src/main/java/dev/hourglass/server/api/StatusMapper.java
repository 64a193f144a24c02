package dev.hourglass.server.api;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import dev.hourglass.common.AlreadyExistsException;
import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.DeadlineExceededException;
import dev.hourglass.common.QueryFailedException;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NamespaceNotFoundException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.PermissionDeniedException;
import dev.hourglass.common.ResourceExhaustedException;
import dev.hourglass.common.ShardOwnershipLostException;
import dev.hourglass.common.UnavailableException;
import dev.hourglass.common.WorkflowAlreadyStartedException;
import dev.hourglass.common.WorkflowBusyException;
import dev.hourglass.common.WorkflowNotReadyException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.enums.v1.ResourceExhaustedCause;
import io.temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import io.temporal.api.errordetails.v1.MultiOperationExecutionFailure;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.failure.v1.MultiOperationExecutionAborted;
import io.temporal.api.errordetails.v1.PermissionDeniedFailure;
import io.temporal.api.errordetails.v1.QueryFailedFailure;
import io.temporal.api.errordetails.v1.ResourceExhaustedFailure;
import io.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure;
import io.temporal.api.errordetails.v1.WorkflowNotReadyFailure;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become gRPC statuses, with the Temporal error details the SDKs look
 * for in the status ({@code WorkflowExecutionAlreadyStartedFailure} makes the Java SDK throw
 * {@code WorkflowExecutionAlreadyStarted}). Anything unexpected becomes INTERNAL with an error id
 * that is logged once with the stack trace; its message is not shown to the client.
 */
final class StatusMapper {
  private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

  private StatusMapper() {}

  static StatusRuntimeException toStatus(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof MultiOperationException e) {
      return multiOperationStatus(e);
    }
    if (cause instanceof WorkflowAlreadyStartedException e) {
      return status(Code.ALREADY_EXISTS, e.getMessage(), WorkflowExecutionAlreadyStartedFailure.newBuilder()
          .setStartRequestId(e.startRequestId()).setRunId(e.runId()).build());
    }
    if (cause instanceof NamespaceNotFoundException e) {
      return status(Code.NOT_FOUND, e.getMessage(), NamespaceNotFoundFailure.newBuilder().setNamespace(e.namespace()).build());
    }
    if (cause instanceof NotFoundException e) {
      return status(Code.NOT_FOUND, e.getMessage(), NotFoundFailure.getDefaultInstance());
    }
    if (cause instanceof QueryFailedException e) {
      return status(Code.INVALID_ARGUMENT, e.getMessage(), QueryFailedFailure.getDefaultInstance());
    }
    if (cause instanceof DeadlineExceededException e) {
      return status(Code.DEADLINE_EXCEEDED, e.getMessage(), null);
    }
    if (cause instanceof InvalidArgumentException e) {
      return status(Code.INVALID_ARGUMENT, e.getMessage(), null);
    }
    if (cause instanceof AlreadyExistsException e) {
      return status(Code.ALREADY_EXISTS, e.getMessage(), NamespaceAlreadyExistsFailure.getDefaultInstance());
    }
    if (cause instanceof WorkflowNotReadyException e) {
      return status(Code.FAILED_PRECONDITION, e.getMessage(), WorkflowNotReadyFailure.getDefaultInstance());
    }
    if (cause instanceof FailedPreconditionException e) {
      return status(Code.FAILED_PRECONDITION, e.getMessage(), null);
    }
    if (cause instanceof PermissionDeniedException e) {
      return status(Code.PERMISSION_DENIED, e.getMessage(), PermissionDeniedFailure.getDefaultInstance());
    }
    if (cause instanceof WorkflowBusyException e) {
      return status(Code.RESOURCE_EXHAUSTED, e.getMessage(), ResourceExhaustedFailure.newBuilder()
          .setCause(ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_BUSY_WORKFLOW)
          .setScope(io.temporal.api.enums.v1.ResourceExhaustedScope.RESOURCE_EXHAUSTED_SCOPE_NAMESPACE).build());
    }
    if (cause instanceof ResourceExhaustedException e) {
      return status(Code.RESOURCE_EXHAUSTED, e.getMessage(), ResourceExhaustedFailure.newBuilder()
          .setCause(ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_SYSTEM_OVERLOADED).build());
    }
    if (cause instanceof UnavailableException || cause instanceof ShardOwnershipLostException || cause instanceof ConditionFailedException) {
      return status(Code.UNAVAILABLE, cause.getMessage(), null);
    }
    if (cause instanceof java.util.concurrent.RejectedExecutionException) {
      // The engine's pools have unbounded queues: they reject only once shut down, when the
      // process stops or hands its shards over. The caller should retry (elsewhere).
      return status(Code.UNAVAILABLE, "this Hourglass process is stopping or handing its shards over; retry", null);
    }
    String errorId = UUID.randomUUID().toString();
    log.atError().addKeyValue("errorId", errorId).setCause(cause).log("internal error");
    return status(Code.INTERNAL, "Internal error (id " + errorId + "); the server log has the details.", null);
  }

  /** The first real operation error gives the code; every operation's status is in the details, as from Temporal. */
  private static StatusRuntimeException multiOperationStatus(MultiOperationException error) {
    MultiOperationExecutionFailure.Builder failure = MultiOperationExecutionFailure.newBuilder();
    Code code = null;
    for (RuntimeException operationError : error.operationErrors()) {
      if (operationError == null) {
        failure.addStatuses(MultiOperationExecutionFailure.OperationStatus.newBuilder()
            .setCode(Code.ABORTED.getNumber())
            .setMessage("Operation was aborted.")
            .addDetails(Any.pack(MultiOperationExecutionAborted.getDefaultInstance())));
        continue;
      }
      com.google.rpc.Status status = StatusProto.fromThrowable(toStatus(operationError));
      if (code == null) {
        code = Code.forNumber(status.getCode());
      }
      failure.addStatuses(MultiOperationExecutionFailure.OperationStatus.newBuilder()
          .setCode(status.getCode()).setMessage(status.getMessage()).addAllDetails(status.getDetailsList()));
    }
    return status(code == null ? Code.ABORTED : code, error.getMessage(), failure.build());
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Longest status message sent. The message travels in the response trailers, whose size gRPC
   * limits: a message echoing a huge worker error (a query failure of megabytes) would break the
   * stream instead of reporting the error.
   */
  static final int MAX_MESSAGE_CHARS = 4_096;

  private static StatusRuntimeException status(Code code, String message, Message detail) {
    String shown = message == null ? "" : message;
    if (shown.length() > MAX_MESSAGE_CHARS) {
      shown = shown.substring(0, MAX_MESSAGE_CHARS) + "… (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(shown);
    if (detail != null) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
