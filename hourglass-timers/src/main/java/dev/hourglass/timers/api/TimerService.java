package dev.hourglass.timers.api;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import dev.hourglass.timers.TimerServiceProperties;
import dev.hourglass.timers.workflow.TimerSpec;
import dev.hourglass.timers.workflow.TimerState;
import dev.hourglass.timers.workflow.TimerStatus;
import dev.hourglass.timers.workflow.TimerWorkflow;
import dev.hourglass.timers.workflow.TimerWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The REST API's use of Temporal: starts timer workflows, reads their state, cancels and lists
 * them. It never runs a workflow itself.
 *
 * <p>Reading a timer: {@code DescribeWorkflowExecution} says whether it exists and whether it
 * runs. A running timer is asked with the {@code getState} query; when no worker answers within
 * the query timeout (workers down) the answer comes from the server's record instead: the
 * deadline from the memo, firing when an activity is pending. A closed timer's state is its
 * workflow's result, or its failure's details, which needs no worker either.
 */
public final class TimerService {
  private static final Logger log = LoggerFactory.getLogger(TimerService.class);
  /** How long DELETE waits for the workflow to close after the cancel request. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(2);
  /** Pages read at most to fill a list filtered by scheduled/firing. */
  private static final int MAX_LIST_PAGES = 10;

  private final WorkflowClient client;
  private final WorkflowServiceStubs stubs;
  private final TimerServiceProperties properties;
  private final Clock clock;

  public TimerService(WorkflowClient client, TimerServiceProperties properties, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.stubs = client.getWorkflowServiceStubs();
    this.properties = requireNonNull(properties, "properties is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Starts a timer. With an idempotency key the id is derived from the key, and a second request
   * with the same key (while the timer runs, or after it ended) returns the same id and starts
   * nothing.
   */
  public String create(Duration delay, String url, Optional<String> idempotencyKey) {
    long deadline = clock.millis() + delay.toMillis();
    String id = idempotencyKey.map(key -> TimerIds.fromIdempotencyKey(properties.namespace(), key)).orElseGet(TimerIds::random);
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(properties.taskQueue())
        .setMemo(Map.of(TimerWorkflowImpl.MEMO_DEADLINE, deadline, TimerWorkflowImpl.MEMO_URL, url));
    if (idempotencyKey.isPresent()) {
      options.setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    }
    TimerWorkflow workflow = client.newWorkflowStub(TimerWorkflow.class, options.build());
    try {
      WorkflowClient.start(workflow::run, new TimerSpec(url, deadline));
    } catch (WorkflowExecutionAlreadyStarted e) {
      if (idempotencyKey.isPresent()) {
        // The keyed timer already ran (or runs): same key, same id.
        return id;
      }
      throw e;
    }
    log.atInfo().addKeyValue("timerId", id).addKeyValue("deadline", deadline).addKeyValue("url", url).log("Timer scheduled");
    return id;
  }

  /** @throws TimerApiException 404 when no timer has this id */
  public TimerView get(String id) {
    DescribeWorkflowExecutionResponse description = describe(id);
    return view(id, description);
  }

  /**
   * Cancels a timer that has not started firing.
   *
   * @throws TimerApiException 404 unknown, 409 when it is firing or already fired (or failed)
   */
  public void cancel(String id) {
    DescribeWorkflowExecutionResponse description = describe(id);
    WorkflowExecutionInfo info = description.getWorkflowExecutionInfo();
    switch (info.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING -> {
        if (description.getPendingActivitiesCount() > 0) {
          throw TimerApiException.conflict("Timer is already firing");
        }
        WorkflowStub stub = client.newUntypedWorkflowStub(id, Optional.of(info.getExecution().getRunId()), Optional.empty());
        stub.cancel();
        awaitClose(stub);
        log.atInfo().addKeyValue("timerId", id).log("Timer cancelled");
      }
      case WORKFLOW_EXECUTION_STATUS_CANCELED, WORKFLOW_EXECUTION_STATUS_TERMINATED -> {
        // Already cancelled: DELETE is idempotent.
      }
      default -> throw TimerApiException.conflict("Timer already fired");
    }
  }

  /**
   * Lists timers through the server's visibility API, newest first as the server orders them.
   *
   * @throws TimerApiException 501 when the server has no list API
   */
  public List<TimerView> list(Optional<TimerStatus> status, int limit) {
    StringBuilder query = new StringBuilder("WorkflowType = '").append(TimerWorkflow.TYPE).append("'");
    status.map(TimerService::executionStatusFilter).ifPresent(filter -> query.append(" AND ExecutionStatus = '").append(filter).append("'"));
    List<TimerView> timers = new ArrayList<>();
    com.google.protobuf.ByteString pageToken = com.google.protobuf.ByteString.EMPTY;
    for (int page = 0; page < MAX_LIST_PAGES && timers.size() < limit; page++) {
      ListWorkflowExecutionsResponse response;
      try {
        response = stubs.blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
            .setNamespace(properties.namespace())
            .setQuery(query.toString())
            .setPageSize(limit)
            .setNextPageToken(pageToken)
            .build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
          throw TimerApiException.of(HttpStatus.NOT_IMPLEMENTED,
              "Listing timers needs the server's workflow list API (ListWorkflowExecutions), which this server does not implement yet;"
                  + " GET /timers/{id} works");
        }
        throw e;
      }
      for (WorkflowExecutionInfo info : response.getExecutionsList()) {
        if (timers.size() >= limit) {
          break;
        }
        String id = info.getExecution().getWorkflowId();
        if (!TimerIds.isUuidV4(id)) {
          continue;
        }
        TimerView view;
        try {
          view = get(id);
        } catch (TimerApiException e) {
          continue; // Gone between the list and the describe.
        }
        if (status.isEmpty() || status.get().wireName().equals(view.status())) {
          timers.add(view);
        }
      }
      pageToken = response.getNextPageToken();
      if (pageToken.isEmpty()) {
        break;
      }
    }
    return timers;
  }

  private static String executionStatusFilter(TimerStatus status) {
    return switch (status) {
      case SCHEDULED, FIRING -> "Running";
      case FIRED -> "Completed";
      case FAILED -> "Failed";
      case CANCELLED -> "Canceled";
    };
  }

  private DescribeWorkflowExecutionResponse describe(String id) {
    DescribeWorkflowExecutionResponse description;
    try {
      description = stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(properties.namespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
          .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw TimerApiException.notFound();
      }
      throw e;
    }
    if (!description.getWorkflowExecutionInfo().getType().getName().equals(TimerWorkflow.TYPE)) {
      // Some other workflow with a uuid for an id: not a timer.
      throw TimerApiException.notFound();
    }
    return description;
  }

  private TimerView view(String id, DescribeWorkflowExecutionResponse description) {
    WorkflowExecutionInfo info = description.getWorkflowExecutionInfo();
    TimerState state = switch (info.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING -> runningState(id, description);
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> closedState(id, info);
      case WORKFLOW_EXECUTION_STATUS_FAILED -> closedState(id, info);
      case WORKFLOW_EXECUTION_STATUS_CANCELED, WORKFLOW_EXECUTION_STATUS_TERMINATED ->
          new TimerState(TimerStatus.CANCELLED, memoDeadline(info), 0, null);
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> new TimerState(TimerStatus.FAILED, memoDeadline(info), 0, "timer workflow timed out");
      default -> new TimerState(TimerStatus.FAILED, memoDeadline(info), 0, "timer workflow ended as " + info.getStatus());
    };
    long timeLeft = state.status() == TimerStatus.SCHEDULED ? secondsLeft(state.deadline()) : 0;
    return new TimerView(id, timeLeft, state.status().wireName(), state.attempts(), state.lastError());
  }

  /** Whole seconds until the deadline, rounded up; 0 once it passed. */
  private long secondsLeft(long deadline) {
    long millis = deadline - clock.millis();
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }

  private TimerState runningState(String id, DescribeWorkflowExecutionResponse description) {
    TimerState state;
    try {
      state = queryState(description.getWorkflowExecutionInfo().getExecution());
    } catch (StatusRuntimeException e) {
      // No worker answered (all down, or busy): the server's record still tells enough.
      log.atDebug().addKeyValue("timerId", id).setCause(e).log("Query failed; answering from the execution's description");
      state = new TimerState(description.getPendingActivitiesCount() > 0 ? TimerStatus.FIRING : TimerStatus.SCHEDULED,
          memoDeadline(description.getWorkflowExecutionInfo()), 0, null);
    }
    if (state.status() == TimerStatus.FIRING && description.getPendingActivitiesCount() > 0) {
      // Retries happen on the server without the workflow seeing them: the pending activity
      // knows the attempt in progress and why the previous one failed.
      PendingActivityInfo activity = description.getPendingActivities(0);
      int done = activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED ? activity.getAttempt() : activity.getAttempt() - 1;
      String lastError = activity.hasLastFailure() ? activity.getLastFailure().getMessage() : null;
      state = new TimerState(TimerStatus.FIRING, state.deadline(), Math.max(done, 0), lastError);
    }
    return state;
  }

  /**
   * The {@code getState} query, sent as one RPC with the query timeout as its deadline. The
   * SDK's typed stub would retry a DEADLINE_EXCEEDED answer for up to its own retry budget, and a
   * GET must not hang that long while no worker runs.
   */
  private TimerState queryState(WorkflowExecution execution) {
    QueryWorkflowResponse response = stubs.blockingStub()
        .withDeadlineAfter(properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .queryWorkflow(QueryWorkflowRequest.newBuilder()
            .setNamespace(properties.namespace())
            .setExecution(execution)
            .setQuery(WorkflowQuery.newBuilder().setQueryType(TimerWorkflow.QUERY_STATE))
            .build());
    if (response.hasQueryRejected()) {
      throw Status.FAILED_PRECONDITION.withDescription("query rejected: " + response.getQueryRejected().getStatus()).asRuntimeException();
    }
    DataConverter converter = client.getOptions().getDataConverter();
    return converter.fromPayloads(0, Optional.of(response.getQueryResult()), TimerState.class, TimerState.class);
  }

  private TimerState closedState(String id, WorkflowExecutionInfo info) {
    WorkflowStub stub = client.newUntypedWorkflowStub(id, Optional.of(info.getExecution().getRunId()), Optional.empty());
    try {
      return stub.getResult(5, TimeUnit.SECONDS, TimerState.class);
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof ApplicationFailure failure && TimerWorkflowImpl.DELIVERY_FAILED.equals(failure.getType())
          && failure.getDetails().getSize() > 0) {
        return failure.getDetails().get(TimerState.class);
      }
      return new TimerState(TimerStatus.FAILED, memoDeadline(info), 0, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IllegalStateException("closed timer " + id + " has no result yet", e);
    }
  }

  private long memoDeadline(WorkflowExecutionInfo info) {
    Payload payload = info.getMemo().getFieldsMap().get(TimerWorkflowImpl.MEMO_DEADLINE);
    if (payload == null) {
      return startMillis(info.getStartTime());
    }
    DataConverter converter = client.getOptions().getDataConverter();
    return converter.fromPayload(payload, Long.class, Long.class);
  }

  private static long startMillis(Timestamp timestamp) {
    return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
  }

  private static void awaitClose(WorkflowStub stub) {
    try {
      stub.getResultAsync(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS, Object.class).get();
    } catch (ExecutionException e) {
      // Closed as cancelled (or fired in a race with the cancel), or no worker right now and the
      // wait timed out: the cancel request is recorded and takes effect when a worker comes.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
