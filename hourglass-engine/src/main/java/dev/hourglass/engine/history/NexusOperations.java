package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NamespaceNotFoundException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.matching.PollerInfo;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TimerRecord;
import io.temporal.api.command.v1.RequestCancelNexusOperationCommandAttributes;
import io.temporal.api.command.v1.ScheduleNexusOperationCommandAttributes;
import io.temporal.api.common.v1.Callback;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.NexusOperationCancelRequestCompletedEventAttributes;
import io.temporal.api.history.v1.NexusOperationCancelRequestFailedEventAttributes;
import io.temporal.api.history.v1.NexusOperationCancelRequestedEventAttributes;
import io.temporal.api.history.v1.NexusOperationCanceledEventAttributes;
import io.temporal.api.history.v1.NexusOperationCompletedEventAttributes;
import io.temporal.api.history.v1.NexusOperationFailedEventAttributes;
import io.temporal.api.history.v1.NexusOperationScheduledEventAttributes;
import io.temporal.api.history.v1.NexusOperationStartedEventAttributes;
import io.temporal.api.history.v1.NexusOperationTimedOutEventAttributes;
import io.temporal.api.nexus.v1.CancelOperationRequest;
import io.temporal.api.nexus.v1.Endpoint;
import io.temporal.api.nexus.v1.Request;
import io.temporal.api.nexus.v1.Response;
import io.temporal.api.nexus.v1.StartOperationRequest;
import io.temporal.api.nexus.v1.StartOperationResponse;
import io.temporal.api.workflowservice.v1.PollNexusTaskQueueResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Nexus operations, caller side and the server's part of the handler side, for endpoints whose
 * target is a worker task queue (what the SDKs' workers serve), in any namespace of this server.
 *
 * <p>The caller's ScheduleNexusOperation command writes NexusOperationScheduled and a Nexus task in
 * the endpoint's task queue, in one transaction. A handler worker polls it (the start request),
 * and answers: a synchronous result or failure closes the operation; an asynchronous start records
 * NexusOperationStarted and the result comes later by callback. The callback is internal: the
 * start request carries a reference to the operation as a callback header, the SDK's workflow-run
 * operation copies it onto the workflow it starts ({@code completion_callbacks}), and that
 * workflow's close writes a transfer task that records the outcome in the caller, as a child's
 * close reaches its parent.
 *
 * <p>A handler error that may be retried (or a request not answered within the request timeout)
 * sends the request again after a backoff, with the next attempt number; the schedule-to-close
 * timeout bounds it all. Cancel requests are Nexus tasks too.
 */
final class NexusOperations {
  /** Temporal's default limit of pending Nexus operations per run. */
  static final int MAX_PENDING_OPERATIONS = 30;
  /** How long the handler has to answer one start or cancel request, as Temporal's default. */
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  /** The callback URL handed to handlers; the callback never leaves this server. */
  static final String CALLBACK_URL = "temporal://system";
  /** The callback header that carries the {@link NexusOperationRef}. */
  static final String OPERATION_REFERENCE_HEADER = "hourglass-nexus-operation";
  private static final String FAILURE_MESSAGE = "nexus operation completed unsuccessfully";
  /** Temporal's retry policy for Nexus requests: 1 s doubling up to an hour, until schedule-to-close. */
  private static final io.temporal.api.common.v1.RetryPolicy RETRY_POLICY = io.temporal.api.common.v1.RetryPolicy.newBuilder()
      .setInitialInterval(Durations.fromSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Durations.fromHours(1))
      .build();
  private static final List<String> NON_RETRYABLE_HANDLER_ERRORS = List.of("BAD_REQUEST", "UNAUTHENTICATED", "UNAUTHORIZED", "NOT_FOUND",
      "CONFLICT", "NOT_IMPLEMENTED");

  private final ExecutionUpdater updater;
  private final WorkflowTasks workflowTasks;
  private final HistoryReader reader;
  private final Function<String, Optional<Endpoint>> endpoints;
  private final NamespaceRegistry namespaces;

  NexusOperations(ExecutionUpdater updater, WorkflowTasks workflowTasks, HistoryReader reader, Function<String, Optional<Endpoint>> endpoints,
      NamespaceRegistry namespaces) {
    this.updater = requireNonNull(updater, "updater is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.endpoints = requireNonNull(endpoints, "endpoints is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  // ---- the caller's commands ----

  /** Checks the command as Temporal does and caps its timeouts (to the run timeout, and the others to schedule-to-close). */
  ScheduleNexusOperationCommandAttributes validate(MutableState state, ScheduleNexusOperationCommandAttributes command, int earlier) {
    if (command.getEndpoint().isEmpty()) {
      throw new InvalidArgumentException("Endpoint is not set on ScheduleNexusOperation command.");
    }
    if (command.getService().isEmpty()) {
      throw new InvalidArgumentException("Service is not set on ScheduleNexusOperation command.");
    }
    if (command.getOperation().isEmpty()) {
      throw new InvalidArgumentException("Operation is not set on ScheduleNexusOperation command.");
    }
    targetQueue(state, command.getEndpoint());
    for (var timeout : List.of(command.getScheduleToCloseTimeout(), command.getScheduleToStartTimeout(), command.getStartToCloseTimeout())) {
      if (Durations.toMillis(timeout) < 0) {
        throw new InvalidArgumentException("A timeout on ScheduleNexusOperation command is negative.");
      }
    }
    if (state.nexusOperations.size() + earlier >= MAX_PENDING_OPERATIONS) {
      throw new LimitExceededException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_NEXUS_OPERATIONS_LIMIT_EXCEEDED,
          "workflow has reached the pending nexus operation limit of " + MAX_PENDING_OPERATIONS + " for this namespace");
    }
    ScheduleNexusOperationCommandAttributes.Builder normalized = command.toBuilder();
    long runTimeout = Durations.toMillis(state.startedAttributes.getWorkflowRunTimeout());
    long scheduleToClose = Durations.toMillis(command.getScheduleToCloseTimeout());
    if (runTimeout > 0 && (scheduleToClose == 0 || scheduleToClose > runTimeout)) {
      scheduleToClose = runTimeout;
      normalized.setScheduleToCloseTimeout(Durations.fromMillis(runTimeout));
    }
    if (scheduleToClose > 0 && Durations.toMillis(command.getScheduleToStartTimeout()) > scheduleToClose) {
      normalized.setScheduleToStartTimeout(Durations.fromMillis(scheduleToClose));
    }
    if (scheduleToClose > 0 && Durations.toMillis(command.getStartToCloseTimeout()) > scheduleToClose) {
      normalized.setStartToCloseTimeout(Durations.fromMillis(scheduleToClose));
    }
    return normalized.build();
  }

  /** The endpoint's task queue; the endpoint must exist and target a worker of the caller's namespace. */
  private Endpoint targetQueue(MutableState state, String endpointName) {
    Endpoint endpoint = endpoints.apply(endpointName)
        .orElseThrow(() -> new InvalidArgumentException("endpoint \"" + endpointName + "\" not found"));
    if (!endpoint.getSpec().getTarget().hasWorker()) {
      throw new InvalidArgumentException("endpoint \"" + endpointName + "\" targets an external URL, which this Hourglass version does "
          + "not call (see docs/compatibility.md).");
    }
    String targetNamespace = endpoint.getSpec().getTarget().getWorker().getNamespace();
    try {
      namespaces.byName(targetNamespace);
    } catch (NamespaceNotFoundException e) {
      throw new InvalidArgumentException("endpoint \"" + endpointName + "\" targets namespace " + targetNamespace + ", which does not exist");
    }
    return endpoint;
  }

  /** NexusOperationScheduled, the start request in the endpoint's task queue and the operation's timers. */
  void schedule(ExecutionMutation mutation, ScheduleNexusOperationCommandAttributes command, long completedEventId) {
    MutableState state = mutation.state();
    Endpoint endpoint = targetQueue(state, command.getEndpoint());
    NexusOperationScheduledEventAttributes attributes = NexusOperationScheduledEventAttributes.newBuilder()
        .setEndpoint(command.getEndpoint())
        .setEndpointId(endpoint.getId())
        .setService(command.getService())
        .setOperation(command.getOperation())
        .setInput(command.getInput())
        .setScheduleToCloseTimeout(command.getScheduleToCloseTimeout())
        .setScheduleToStartTimeout(command.getScheduleToStartTimeout())
        .setStartToCloseTimeout(command.getStartToCloseTimeout())
        .putAllNexusHeader(command.getNexusHeaderMap())
        .setWorkflowTaskCompletedEventId(completedEventId)
        .setRequestId(UUID.randomUUID().toString())
        .build();
    HistoryEvent scheduled = mutation.append(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED,
        event -> event.setNexusOperationScheduledEventAttributes(attributes));
    NexusOperationInfo operation = new NexusOperationInfo();
    operation.scheduledEventId = scheduled.getEventId();
    operation.attributes = attributes;
    operation.endpointTaskQueue = endpoint.getSpec().getTarget().getWorker().getTaskQueue();
    operation.endpointNamespaceId = namespaces.byName(endpoint.getSpec().getTarget().getWorker().getNamespace()).id();
    operation.scheduledTimeMillis = mutation.nowMillis();
    operation.startTaskId = mutation.addTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.scheduledEventId);
    long scheduleToClose = Durations.toMillis(attributes.getScheduleToCloseTimeout());
    if (scheduleToClose > 0) {
      operation.scheduleToCloseTimerId = mutation.addTimer(mutation.nowMillis() + scheduleToClose, TimerKind.NEXUS_SCHEDULE_TO_CLOSE,
          operation.scheduledEventId, 0, "");
    }
    long scheduleToStart = Durations.toMillis(attributes.getScheduleToStartTimeout());
    if (scheduleToStart > 0) {
      operation.scheduleToStartTimerId = mutation.addTimer(mutation.nowMillis() + scheduleToStart, TimerKind.NEXUS_SCHEDULE_TO_START,
          operation.scheduledEventId, 0, "");
    }
    state.nexusOperations.put(operation.scheduledEventId, operation);
  }

  /** Temporal accepts a cancel of an operation that just ended while the task ran (its end waits in the buffer). */
  void validateCancel(MutableState state, RequestCancelNexusOperationCommandAttributes command, List<Long> cancelledEarlier) {
    long scheduledEventId = command.getScheduledEventId();
    NexusOperationInfo operation = state.nexusOperations.get(scheduledEventId);
    if (operation == null) {
      if (!endsInBuffer(state, scheduledEventId)) {
        throw new InvalidArgumentException("requested cancelation for a non-existing or already completed operation with scheduled event ID of "
            + scheduledEventId);
      }
      return;
    }
    if (operation.cancelRequestedEventId != 0 || cancelledEarlier.contains(scheduledEventId)) {
      throw new InvalidArgumentException("cancelation was already requested for an operation with scheduled event ID " + scheduledEventId);
    }
  }

  private static boolean endsInBuffer(MutableState state, long scheduledEventId) {
    return state.bufferedEvents.stream().anyMatch(event -> scheduledEventIdOfEnd(event) == scheduledEventId);
  }

  private static long scheduledEventIdOfEnd(HistoryEvent event) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_NEXUS_OPERATION_COMPLETED -> event.getNexusOperationCompletedEventAttributes().getScheduledEventId();
      case EVENT_TYPE_NEXUS_OPERATION_FAILED -> event.getNexusOperationFailedEventAttributes().getScheduledEventId();
      case EVENT_TYPE_NEXUS_OPERATION_CANCELED -> event.getNexusOperationCanceledEventAttributes().getScheduledEventId();
      case EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT -> event.getNexusOperationTimedOutEventAttributes().getScheduledEventId();
      default -> -1;
    };
  }

  /**
   * NexusOperationCancelRequested. An operation not started yet is canceled at once (its start
   * request is withdrawn), as Temporal does; a started one gets a cancel request to its handler.
   */
  void requestCancel(ExecutionMutation mutation, RequestCancelNexusOperationCommandAttributes command, long completedEventId) {
    MutableState state = mutation.state();
    HistoryEvent requested = mutation.append(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
        event -> event.setNexusOperationCancelRequestedEventAttributes(NexusOperationCancelRequestedEventAttributes.newBuilder()
            .setScheduledEventId(command.getScheduledEventId())
            .setWorkflowTaskCompletedEventId(completedEventId)));
    NexusOperationInfo operation = state.nexusOperations.get(command.getScheduledEventId());
    if (operation == null) {
      return; // it ended while the task ran: its end is in the buffer
    }
    operation.cancelRequestedEventId = requested.getEventId();
    if (!operation.started) {
      Failure canceled = Failure.newBuilder().setMessage("operation canceled before it was started")
          .setCanceledFailureInfo(io.temporal.api.failure.v1.CanceledFailureInfo.getDefaultInstance()).build();
      HistoryEvent.Builder canceledEvent = close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED, canceled);
      forget(mutation, operation);
      // Buffered, so that it follows this task's events and a new workflow task delivers it.
      state.bufferedEvents.add(canceledEvent.build());
      return;
    }
    operation.cancelTaskId = mutation.addTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.scheduledEventId);
  }

  // ---- the handler's side: tasks ----

  /** Matching's starter for Nexus tasks: the request the task stands for, or empty when it is stale. */
  Optional<PollNexusTaskQueueResponse> recordTaskStarted(TaskRecord task, PollerInfo poller) {
    PollNexusTaskQueueResponse response;
    try {
      response = updater.update(task.execution(), mutation -> {
        MutableState state = mutation.state();
        mutation.deleteTask(task.queueNamespaceId(), task.taskQueue(), TaskKind.NEXUS, task.taskId());
        NexusOperationInfo operation = state.nexusOperations.get(task.scheduledEventId());
        if (!state.running() || operation == null) {
          return null;
        }
        long now = mutation.nowMillis();
        if (task.taskId() == operation.startTaskId && !operation.started) {
          operation.startTaskId = 0;
          operation.requestTimeoutTimerId = mutation.addTimer(now + REQUEST_TIMEOUT_MILLIS, TimerKind.NEXUS_REQUEST_TIMEOUT,
              operation.scheduledEventId, operation.attempt, "");
          return PollNexusTaskQueueResponse.newBuilder()
              .setTaskToken(new NexusTaskToken(mutation.executionKey(), operation.scheduledEventId, operation.attempt, false).encode())
              .setRequest(startRequest(state, operation, now))
              .build();
        }
        if (task.taskId() == operation.cancelTaskId) {
          operation.cancelTaskId = 0;
          operation.cancelRequestTimeoutTimerId = mutation.addTimer(now + REQUEST_TIMEOUT_MILLIS, TimerKind.NEXUS_CANCEL_REQUEST_TIMEOUT,
              operation.scheduledEventId, operation.cancelAttempt, "");
          return PollNexusTaskQueueResponse.newBuilder()
              .setTaskToken(new NexusTaskToken(mutation.executionKey(), operation.scheduledEventId, operation.cancelAttempt, true).encode())
              .setRequest(cancelRequest(operation, now))
              .build();
        }
        return null;
      });
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(response);
  }

  private Request startRequest(MutableState state, NexusOperationInfo operation, long nowMillis) {
    NexusOperationScheduledEventAttributes attributes = operation.attributes;
    NexusOperationRef ref = new NexusOperationRef(new ExecutionKey(state.namespaceId, state.workflowId, state.runId),
        operation.scheduledEventId, attributes.getRequestId());
    Request.Builder request = baseRequest(attributes, nowMillis);
    long operationTimeout = operationTimeoutMillis(operation, nowMillis);
    if (operationTimeout > 0) {
      request.putHeader("operation-timeout", operationTimeout + "ms");
    }
    return request.setStartOperation(StartOperationRequest.newBuilder()
            .setService(attributes.getService())
            .setOperation(attributes.getOperation())
            .setRequestId(attributes.getRequestId())
            .setPayload(attributes.getInput())
            .setCallback(CALLBACK_URL)
            .putCallbackHeader(OPERATION_REFERENCE_HEADER, ref.encode())
            .addLinks(scheduledEventLink(state, operation.scheduledEventId)))
        .build();
  }

  private static Request cancelRequest(NexusOperationInfo operation, long nowMillis) {
    NexusOperationScheduledEventAttributes attributes = operation.attributes;
    return baseRequest(attributes, nowMillis)
        .setCancelOperation(CancelOperationRequest.newBuilder()
            .setService(attributes.getService())
            .setOperation(attributes.getOperation())
            .setOperationToken(operation.operationToken)
            .setOperationId(operation.operationToken))
        .build();
  }

  private static Request.Builder baseRequest(NexusOperationScheduledEventAttributes attributes, long nowMillis) {
    return Request.newBuilder()
        .setEndpoint(attributes.getEndpoint())
        .setScheduledTime(Timestamps.fromMillis(nowMillis))
        .setCapabilities(Request.Capabilities.newBuilder().setTemporalFailureResponses(true))
        .putAllHeader(attributes.getNexusHeaderMap())
        .putHeader("request-timeout", REQUEST_TIMEOUT_MILLIS + "ms");
  }

  /** What is left of the operation's schedule-to-close and start-to-close timeouts; 0 when it has none. */
  private static long operationTimeoutMillis(NexusOperationInfo operation, long nowMillis) {
    long left = 0;
    long scheduleToClose = Durations.toMillis(operation.attributes.getScheduleToCloseTimeout());
    if (scheduleToClose > 0) {
      left = Math.max(1, operation.scheduledTimeMillis + scheduleToClose - nowMillis);
    }
    long startToClose = Durations.toMillis(operation.attributes.getStartToCloseTimeout());
    if (startToClose > 0) {
      left = left == 0 ? startToClose : Math.min(left, startToClose);
    }
    return left;
  }

  /** The caller's scheduled event as a Nexus link (the handler links the workflow it starts to it). */
  private io.temporal.api.nexus.v1.Link scheduledEventLink(MutableState state, long scheduledEventId) {
    String url = "temporal:///namespaces/" + encode(namespaces.nameOf(state.namespaceId)) + "/workflows/" + encode(state.workflowId)
        + "/" + encode(state.runId) + "/history?referenceType=EventReference&eventID=" + scheduledEventId
        + "&eventType=" + EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED.name();
    return io.temporal.api.nexus.v1.Link.newBuilder()
        .setUrl(url)
        .setType(io.temporal.api.common.v1.Link.WorkflowEvent.getDescriptor().getFullName())
        .build();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** RespondNexusTaskCompleted: the handler's answer to a start or cancel request. */
  void respondCompleted(NexusTaskToken token, Response response) {
    if (token.cancel() ? !response.hasCancelOperation() : !response.hasStartOperation()) {
      throw new InvalidArgumentException(token.cancel() ? "Expected CancelOperation to be set on request."
          : "Expected StartOperation to be set on request.");
    }
    updater.updateIfExists(token.caller(), mutation -> {
      NexusOperationInfo operation = current(mutation.state(), token);
      if (operation == null) {
        return;
      }
      if (token.cancel()) {
        clearCancelRequest(mutation, operation);
        workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED,
            event -> event.setNexusOperationCancelRequestCompletedEventAttributes(NexusOperationCancelRequestCompletedEventAttributes.newBuilder()
                .setScheduledEventId(operation.scheduledEventId)
                .setRequestedEventId(operation.cancelRequestedEventId)))));
        return;
      }
      StartOperationResponse start = response.getStartOperation();
      switch (start.getVariantCase()) {
        case SYNC_SUCCESS -> {
          HistoryEvent.Builder completed = completed(mutation, operation, start.getSyncSuccess().getPayload());
          start.getSyncSuccess().getLinksList().stream().map(NexusLinks::toWorkflowEvent).flatMap(Optional::stream)
              .forEach(completed::addLinks);
          end(mutation, operation, completed);
        }
        case ASYNC_SUCCESS -> {
          String operationToken = start.getAsyncSuccess().getOperationToken().isEmpty() ? start.getAsyncSuccess().getOperationId()
              : start.getAsyncSuccess().getOperationToken();
          workflowTasks.appendExternal(mutation, List.of(started(mutation, operation, operationToken, start.getAsyncSuccess().getLinksList())));
        }
        case FAILURE -> end(mutation, operation, unsuccessful(mutation, operation, start.getFailure()));
        case OPERATION_ERROR -> {
          var error = start.getOperationError();
          Failure failure = NexusFailures.fromNexus(error.getFailure());
          if (error.getOperationState().equals("canceled")) {
            failure = failure.toBuilder().clearApplicationFailureInfo().setCanceledFailureInfo(
                io.temporal.api.failure.v1.CanceledFailureInfo.newBuilder().setDetails(NexusFailures.details(error.getFailure()))).build();
          }
          end(mutation, operation, unsuccessful(mutation, operation, failure));
        }
        case VARIANT_NOT_SET -> throw new InvalidArgumentException("Expected success, Failure, or OperationError to be set on request.");
      }
    });
  }

  /** RespondNexusTaskFailed: the handler could not process the request (a Nexus handler error). */
  void respondFailed(NexusTaskToken token, Failure handlerFailure) {
    updater.updateIfExists(token.caller(), mutation -> {
      NexusOperationInfo operation = current(mutation.state(), token);
      if (operation != null) {
        requestFailed(mutation, operation, token.cancel(), handlerFailure);
      }
    });
  }

  /** The operation the token's request is for, if that request is still the one in flight. */
  private static NexusOperationInfo current(MutableState state, NexusTaskToken token) {
    NexusOperationInfo operation = state.nexusOperations.get(token.scheduledEventId());
    if (!state.running() || operation == null) {
      return null;
    }
    if (token.cancel()) {
      return operation.cancelRequestedEventId != 0 && operation.cancelRequestTimeoutTimerId != 0 && operation.cancelAttempt == token.attempt()
          ? operation : null;
    }
    return !operation.started && operation.requestTimeoutTimerId != 0 && operation.attempt == token.attempt() ? operation : null;
  }

  /**
   * A request failed (handler error, or no answer in time): sent again after the backoff when the
   * error may be retried, else the operation fails (a cancel request: CancelRequestFailed).
   */
  private void requestFailed(ExecutionMutation mutation, NexusOperationInfo operation, boolean cancel, Failure failure) {
    long now = mutation.nowMillis();
    if (cancel) {
      clearCancelRequest(mutation, operation);
    } else {
      mutation.deleteTimer(operation.requestTimeoutTimerId);
      operation.requestTimeoutTimerId = 0;
    }
    if (!cancel) {
      operation.lastAttemptFailure = failure;
      operation.lastAttemptCompleteTimeMillis = now;
    }
    if (retryable(failure)) {
      int attempt = cancel ? operation.cancelAttempt : operation.attempt;
      long backoff = RetryPolicies.backoffMillis(RETRY_POLICY, attempt, failure);
      long scheduleToClose = Durations.toMillis(operation.attributes.getScheduleToCloseTimeout());
      if (scheduleToClose > 0 && now + backoff >= operation.scheduledTimeMillis + scheduleToClose) {
        mutation.touch();
        return; // the schedule-to-close timeout ends it first
      }
      if (cancel) {
        operation.cancelAttempt++;
        operation.cancelRetryTimerId = mutation.addTimer(now + backoff, TimerKind.NEXUS_CANCEL_RETRY, operation.scheduledEventId,
            operation.cancelAttempt, "");
      } else {
        operation.attempt++;
        operation.nextAttemptTimeMillis = now + backoff;
        operation.retryTimerId = mutation.addTimer(now + backoff, TimerKind.NEXUS_RETRY, operation.scheduledEventId, operation.attempt, "");
      }
      return;
    }
    if (cancel) {
      workflowTasks.appendExternal(mutation, List.of(mutation.unnumbered(EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_FAILED,
          event -> event.setNexusOperationCancelRequestFailedEventAttributes(NexusOperationCancelRequestFailedEventAttributes.newBuilder()
              .setScheduledEventId(operation.scheduledEventId)
              .setRequestedEventId(operation.cancelRequestedEventId)
              .setFailure(failure)))));
      return;
    }
    end(mutation, operation, close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED, failure));
  }

  private static void clearCancelRequest(ExecutionMutation mutation, NexusOperationInfo operation) {
    mutation.deleteTimer(operation.cancelRequestTimeoutTimerId);
    mutation.deleteTimer(operation.cancelRetryTimerId);
    operation.cancelRequestTimeoutTimerId = 0;
    operation.cancelRetryTimerId = 0;
    mutation.touch();
  }

  /** Whether Temporal retries a request that failed so: handler errors by their type and retry behavior; timeouts always. */
  private static boolean retryable(Failure failure) {
    if (failure.hasNexusHandlerFailureInfo()) {
      var info = failure.getNexusHandlerFailureInfo();
      return switch (info.getRetryBehavior()) {
        case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE -> true;
        case NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE -> false;
        default -> !NON_RETRYABLE_HANDLER_ERRORS.contains(info.getType());
      };
    }
    return !(failure.hasApplicationFailureInfo() && failure.getApplicationFailureInfo().getNonRetryable());
  }

  /** The run's pending operations as DescribeWorkflowExecution shows them. */
  static List<io.temporal.api.workflow.v1.PendingNexusOperationInfo> describe(MutableState state) {
    List<io.temporal.api.workflow.v1.PendingNexusOperationInfo> pending = new ArrayList<>();
    for (NexusOperationInfo operation : state.nexusOperations.values()) {
      var attributes = operation.attributes;
      var info = io.temporal.api.workflow.v1.PendingNexusOperationInfo.newBuilder()
          .setEndpoint(attributes.getEndpoint())
          .setService(attributes.getService())
          .setOperation(attributes.getOperation())
          .setOperationToken(operation.operationToken)
          .setScheduledEventId(operation.scheduledEventId)
          .setScheduledTime(Timestamps.fromMillis(operation.scheduledTimeMillis))
          .setScheduleToCloseTimeout(attributes.getScheduleToCloseTimeout())
          .setScheduleToStartTimeout(attributes.getScheduleToStartTimeout())
          .setStartToCloseTimeout(attributes.getStartToCloseTimeout())
          .setAttempt(operation.attempt)
          .setState(operation.started ? io.temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_STARTED
              : operation.retryTimerId != 0 ? io.temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_BACKING_OFF
              : io.temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_SCHEDULED);
      if (operation.lastAttemptFailure != null) {
        info.setLastAttemptFailure(operation.lastAttemptFailure)
            .setLastAttemptCompleteTime(Timestamps.fromMillis(operation.lastAttemptCompleteTimeMillis));
      }
      if (operation.nextAttemptTimeMillis > 0) {
        info.setNextAttemptScheduleTime(Timestamps.fromMillis(operation.nextAttemptTimeMillis));
      }
      pending.add(info.build());
    }
    return pending;
  }

  // ---- timers ----

  /** A timer of an operation fired: a timeout, a request not answered in time, or the end of a retry backoff. */
  void onTimer(ExecutionMutation mutation, TimerKind kind, TimerRecord timer) {
    mutation.deleteTimer(timer.timerId());
    MutableState state = mutation.state();
    NexusOperationInfo operation = state.nexusOperations.get(timer.eventId());
    if (!state.running() || operation == null) {
      return;
    }
    long id = timer.timerId();
    switch (kind) {
      case NEXUS_SCHEDULE_TO_CLOSE -> {
        if (operation.scheduleToCloseTimerId == id) {
          operation.scheduleToCloseTimerId = 0;
          timeOut(mutation, operation, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
        }
      }
      case NEXUS_SCHEDULE_TO_START -> {
        if (operation.scheduleToStartTimerId == id) {
          operation.scheduleToStartTimerId = 0;
          timeOut(mutation, operation, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
        }
      }
      case NEXUS_START_TO_CLOSE -> {
        if (operation.startToCloseTimerId == id) {
          operation.startToCloseTimerId = 0;
          timeOut(mutation, operation, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        }
      }
      case NEXUS_REQUEST_TIMEOUT -> {
        if (operation.requestTimeoutTimerId == id) {
          requestFailed(mutation, operation, false, requestTimedOut("StartNexusOperation"));
        }
      }
      case NEXUS_CANCEL_REQUEST_TIMEOUT -> {
        if (operation.cancelRequestTimeoutTimerId == id) {
          requestFailed(mutation, operation, true, requestTimedOut("CancelNexusOperation"));
        }
      }
      case NEXUS_RETRY -> {
        if (operation.retryTimerId == id) {
          operation.retryTimerId = 0;
          operation.nextAttemptTimeMillis = 0;
          operation.startTaskId = mutation.addTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.scheduledEventId);
        }
      }
      case NEXUS_CANCEL_RETRY -> {
        if (operation.cancelRetryTimerId == id) {
          operation.cancelRetryTimerId = 0;
          operation.cancelTaskId = mutation.addTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.scheduledEventId);
        }
      }
      default -> throw new IllegalArgumentException("not a Nexus timer: " + kind);
    }
  }

  private static Failure requestTimedOut(String method) {
    return Failure.newBuilder().setMessage(method + " request timed out")
        .setApplicationFailureInfo(io.temporal.api.failure.v1.ApplicationFailureInfo.newBuilder().setNonRetryable(false)).build();
  }

  private void timeOut(ExecutionMutation mutation, NexusOperationInfo operation, TimeoutType type) {
    Failure timeout = Failure.newBuilder().setMessage("operation timed out")
        .setTimeoutFailureInfo(io.temporal.api.failure.v1.TimeoutFailureInfo.newBuilder().setTimeoutType(type)).build();
    end(mutation, operation, close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT, timeout));
  }

  // ---- completion by callback ----

  /** Before a closing change commits: a run started by a Nexus handler reports to its caller when its chain ends. */
  void onRunClosed(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (!mutation.continuesChain() && !callbackRefs(state).isEmpty()) {
      mutation.addTransfer(TimerKind.NEXUS_COMPLETION_CALLBACK, state.closeEventId);
    }
  }

  private static List<NexusOperationRef> callbackRefs(MutableState state) {
    List<Callback> callbacks = new ArrayList<>(state.startedAttributes.getCompletionCallbacksList());
    callbacks.addAll(state.attachedCompletionCallbacks);
    return refs(callbacks);
  }

  /** The operations of this server that the callbacks report to. */
  static List<NexusOperationRef> refs(List<Callback> callbacks) {
    List<NexusOperationRef> refs = new ArrayList<>();
    for (Callback callback : callbacks) {
      if (callback.hasNexus() && callback.getNexus().containsHeader(OPERATION_REFERENCE_HEADER)) {
        NexusOperationRef.decode(callback.getNexus().getHeaderOrThrow(OPERATION_REFERENCE_HEADER)).ifPresent(refs::add);
      }
    }
    return refs;
  }

  /**
   * NEXUS_COMPLETION_CALLBACK, on the handler's run: the event it names ended what the calling
   * operations wait for (the run's chain closed, or a workflow update completed); each gets the outcome.
   */
  void deliverCompletion(TimerRecord task, java.util.function.BiConsumer<ExecutionKey, TimerRecord> deleteTask) {
    ExecutionKey handlerKey = task.execution();
    List<NexusOperationRef> runRefs = updater.readIfExists(handlerKey, NexusOperations::callbackRefs);
    if (runRefs != null) {
      HistoryEvent event = event(handlerKey, task.eventId());
      List<NexusOperationRef> refs = runRefs;
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
        HistoryEvent accepted = event(handlerKey, event.getWorkflowExecutionUpdateCompletedEventAttributes().getAcceptedEventId());
        refs = refs(accepted.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getCompletionCallbacksList());
      }
      for (NexusOperationRef ref : refs) {
        updater.updateIfExists(ref.caller(), mutation -> complete(mutation, ref, handlerKey, event));
      }
    }
    deleteTask.accept(handlerKey, task);
  }

  private HistoryEvent event(ExecutionKey key, long eventId) {
    List<HistoryEvent> events = reader.readEvents(key, eventId, eventId, 1);
    if (events.isEmpty()) {
      throw new IllegalStateException("event " + eventId + " of " + key + " is missing");
    }
    return events.get(0);
  }

  private void complete(ExecutionMutation mutation, NexusOperationRef ref, ExecutionKey handlerKey, HistoryEvent end) {
    MutableState state = mutation.state();
    NexusOperationInfo operation = state.nexusOperations.get(ref.scheduledEventId());
    if (!state.running() || operation == null || !operation.attributes.getRequestId().equals(ref.requestId())) {
      return;
    }
    List<HistoryEvent.Builder> events = new ArrayList<>(2);
    if (!operation.started) {
      // The handler's work ended before its start was recorded here: record both, in order.
      events.add(started(mutation, operation, handlerKey.workflowId(), List.of()));
    }
    events.add(outcome(mutation, operation, end));
    end(mutation, operation, events.toArray(HistoryEvent.Builder[]::new));
  }

  /** The operation's end for the handler's event: a run's close, or an update's completion. */
  private static HistoryEvent.Builder outcome(ExecutionMutation mutation, NexusOperationInfo operation, HistoryEvent end) {
    return switch (end.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> completed(mutation, operation,
          firstPayload(end.getWorkflowExecutionCompletedEventAttributes().getResult()));
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
        var outcome = end.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
        yield outcome.hasFailure() ? close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED, outcome.getFailure())
            : completed(mutation, operation, firstPayload(outcome.getSuccess()));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ->
          close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED, end.getWorkflowExecutionFailedEventAttributes().getFailure());
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
        var canceled = io.temporal.api.failure.v1.CanceledFailureInfo.newBuilder();
        if (end.getWorkflowExecutionCanceledEventAttributes().hasDetails()) {
          canceled.setDetails(end.getWorkflowExecutionCanceledEventAttributes().getDetails());
        }
        yield close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED,
            Failure.newBuilder().setMessage("operation canceled").setCanceledFailureInfo(canceled).build());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED,
          Failure.newBuilder().setMessage("operation terminated")
              .setTerminatedFailureInfo(io.temporal.api.failure.v1.TerminatedFailureInfo.getDefaultInstance()).build());
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> close(mutation, operation, EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED,
          Failure.newBuilder().setMessage("operation exceeded internal timeout")
              .setTimeoutFailureInfo(io.temporal.api.failure.v1.TimeoutFailureInfo.getDefaultInstance()).build());
      default -> throw new IllegalStateException("not an event that ends a Nexus operation: " + end.getEventType());
    };
  }

  /** Nexus carries one value: the first payload of the workflow's (or update's) result. */
  private static Payload firstPayload(io.temporal.api.common.v1.Payloads payloads) {
    return payloads.getPayloadsCount() > 0 ? payloads.getPayloads(0) : Payload.getDefaultInstance();
  }

  // ---- events ----

  private HistoryEvent.Builder started(ExecutionMutation mutation, NexusOperationInfo operation, String operationToken,
      List<io.temporal.api.nexus.v1.Link> links) {
    operation.started = true;
    operation.operationToken = operationToken;
    mutation.deleteTimer(operation.scheduleToStartTimerId);
    mutation.deleteTimer(operation.requestTimeoutTimerId);
    operation.scheduleToStartTimerId = 0;
    operation.requestTimeoutTimerId = 0;
    long startToClose = Durations.toMillis(operation.attributes.getStartToCloseTimeout());
    if (startToClose > 0) {
      operation.startToCloseTimerId = mutation.addTimer(mutation.nowMillis() + startToClose, TimerKind.NEXUS_START_TO_CLOSE,
          operation.scheduledEventId, 0, "");
    }
    HistoryEvent.Builder event = mutation.unnumbered(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED,
        e -> e.setNexusOperationStartedEventAttributes(NexusOperationStartedEventAttributes.newBuilder()
            .setScheduledEventId(operation.scheduledEventId)
            .setOperationToken(operationToken)
            .setRequestId(operation.attributes.getRequestId())));
    links.stream().map(NexusLinks::toWorkflowEvent).flatMap(Optional::stream).forEach(event::addLinks);
    return event;
  }

  private static HistoryEvent.Builder completed(ExecutionMutation mutation, NexusOperationInfo operation, Payload result) {
    return mutation.unnumbered(EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED,
        event -> event.setNexusOperationCompletedEventAttributes(NexusOperationCompletedEventAttributes.newBuilder()
            .setScheduledEventId(operation.scheduledEventId)
            .setRequestId(operation.attributes.getRequestId())
            .setResult(result)));
  }

  /** A start answered with the operation's failure: canceled if the failure says so, else failed. */
  private static HistoryEvent.Builder unsuccessful(ExecutionMutation mutation, NexusOperationInfo operation, Failure failure) {
    return close(mutation, operation, failure.hasCanceledFailureInfo() ? EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED
        : EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED, failure);
  }

  /** A failed, canceled or timed-out end: the cause wrapped in the operation's failure, as Temporal records it. */
  private static HistoryEvent.Builder close(ExecutionMutation mutation, NexusOperationInfo operation, EventType type, Failure cause) {
    Failure failure = Failure.newBuilder()
        .setMessage(FAILURE_MESSAGE)
        .setNexusOperationExecutionFailureInfo(io.temporal.api.failure.v1.NexusOperationFailureInfo.newBuilder()
            .setEndpoint(operation.attributes.getEndpoint())
            .setService(operation.attributes.getService())
            .setOperation(operation.attributes.getOperation())
            .setOperationToken(operation.operationToken)
            .setScheduledEventId(operation.scheduledEventId))
        .setCause(cause)
        .build();
    String requestId = operation.attributes.getRequestId();
    long scheduledEventId = operation.scheduledEventId;
    return mutation.unnumbered(type, event -> {
      switch (type) {
        case EVENT_TYPE_NEXUS_OPERATION_FAILED -> event.setNexusOperationFailedEventAttributes(NexusOperationFailedEventAttributes.newBuilder()
            .setScheduledEventId(scheduledEventId).setRequestId(requestId).setFailure(failure));
        case EVENT_TYPE_NEXUS_OPERATION_CANCELED -> event.setNexusOperationCanceledEventAttributes(
            NexusOperationCanceledEventAttributes.newBuilder().setScheduledEventId(scheduledEventId).setRequestId(requestId).setFailure(failure));
        case EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT -> event.setNexusOperationTimedOutEventAttributes(
            NexusOperationTimedOutEventAttributes.newBuilder().setScheduledEventId(scheduledEventId).setRequestId(requestId).setFailure(failure));
        default -> throw new IllegalArgumentException("not an unsuccessful end of a Nexus operation: " + type);
      }
    });
  }

  /** The operation ended: forget it and its timers and queued requests, and record the events. */
  private void end(ExecutionMutation mutation, NexusOperationInfo operation, HistoryEvent.Builder... events) {
    forget(mutation, operation);
    workflowTasks.appendExternal(mutation, List.of(events));
  }

  private static void forget(ExecutionMutation mutation, NexusOperationInfo operation) {
    mutation.state().nexusOperations.remove(operation.scheduledEventId);
    for (long timerId : new long[] {operation.scheduleToCloseTimerId, operation.scheduleToStartTimerId, operation.startToCloseTimerId,
        operation.requestTimeoutTimerId, operation.retryTimerId, operation.cancelRequestTimeoutTimerId, operation.cancelRetryTimerId}) {
      mutation.deleteTimer(timerId);
    }
    mutation.deleteTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.startTaskId);
    mutation.deleteTask(operation.endpointNamespaceId, operation.endpointTaskQueue, TaskKind.NEXUS, operation.cancelTaskId);
  }
}
