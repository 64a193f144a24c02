package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;

/**
 * One workflow run: its summary, pending work, the workers of its task queue and its history as a
 * timeline. Reads DescribeWorkflowExecution, GetWorkflowExecutionHistory and DescribeTaskQueue.
 */
final class WorkflowPage {
  /** A history longer than this shows its first events only, and says so. */
  static final int MAX_EVENTS = 5000;
  private static final long METADATA_QUERY_TIMEOUT_MILLIS = 2000;

  private final WorkflowServiceStubs service;

  WorkflowPage(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
  }

  /** The model of {@code workflow.peb}; a missing run id means the latest run. */
  @SuppressWarnings("unchecked")
  Map<String, Object> model(String namespace, String workflowId, String runId) {
    Instant now = Instant.now();
    DescribeWorkflowExecutionResponse description = service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(namespace)
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
        .build());
    WorkflowExecutionInfo info = description.getWorkflowExecutionInfo();
    String resolvedRunId = info.getExecution().getRunId();
    List<HistoryEvent> events = history(namespace, info.getExecution());
    boolean running = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

    Map<String, Object> model = new HashMap<>();
    model.put("namespace", namespace);
    model.put("workflowId", workflowId);
    model.put("runId", resolvedRunId);
    model.put("link", Links.workflow(namespace, workflowId, resolvedRunId));
    model.put("latestLink", Links.workflow(namespace, workflowId, null));
    model.put("status", Statuses.of(info.getStatus()));
    model.put("running", running);
    model.put("type", info.getType().getName());
    model.put("taskQueue", info.getTaskQueue());
    model.put("start", When.of(info.getStartTime(), now));
    model.put("close", When.of(info.getCloseTime(), now));
    model.put("duration", info.hasCloseTime() ? Durations.between(info.getStartTime(), info.getCloseTime())
        : Durations.words(java.time.Duration.between(Instant.ofEpochSecond(info.getStartTime().getSeconds()), now)));
    model.put("historyLength", info.getHistoryLength());
    model.put("memo", PayloadText.texts(info.getMemo().getFieldsMap()));
    model.put("searchAttributes", PayloadText.texts(info.getSearchAttributes().getIndexedFieldsMap()));
    if (info.hasParentExecution()) {
      model.put("parent", new RunLink(info.getParentExecution().getWorkflowId(), info.getParentExecution().getRunId(),
          Links.workflow(namespace, info.getParentExecution().getWorkflowId(), info.getParentExecution().getRunId())));
    }
    model.put("truncated", events.size() >= MAX_EVENTS);
    startAndClose(model, namespace, workflowId, events);
    model.put("pendingActivities", description.getPendingActivitiesList().stream().map(activity -> pendingActivity(activity, now)).toList());
    model.put("pendingChildren", description.getPendingChildrenList().stream().map(child -> pendingChild(namespace, child)).toList());
    model.put("pendingTimers", running ? pendingTimers(events, now) : List.of());
    model.put("children", children(namespace, events));
    if (running) {
      model.put("now", now(description, (List<PendingTimer>) model.get("pendingTimers")));
    }
    List<Worker> workers = running ? workers(namespace, info.getTaskQueue(), now) : List.of();
    model.put("workers", workers);
    if (!workers.isEmpty()) {
      handlers(namespace, info.getExecution()).ifPresent(metadata -> {
        model.put("signalNames", metadata.getDefinition().getSignalDefinitionsList().stream()
            .map(definition -> definition.getName()).filter(name -> !name.isEmpty() && !name.startsWith("__")).sorted().toList());
        List<String> queries = metadata.getDefinition().getQueryDefinitionsList().stream()
            .map(definition -> definition.getName()).filter(name -> !name.isEmpty() && !name.startsWith("__")).sorted().toList();
        model.put("queryNames", queries);
        // The workflow's own first query is what a person most likely wants to ask.
        queries.stream().findFirst().ifPresent(query -> model.put("defaultQuery", query));
      });
    }
    Map<String, PendingActivityInfo> pendingById = new HashMap<>();
    description.getPendingActivitiesList().forEach(activity -> pendingById.put(activity.getActivityId(), activity));
    model.put("timeline", Timeline.rows(events, namespace, pendingById, now));
    model.put("resetPoints", resetPoints(events));
    return model;
  }

  private List<HistoryEvent> history(String namespace, WorkflowExecution execution) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page = service.blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
          .setNamespace(namespace)
          .setExecution(execution)
          .setMaximumPageSize(1000)
          .setNextPageToken(token)
          .build());
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && events.size() < MAX_EVENTS);
    return events;
  }

  /** Input and the run chain from the first event; result, failure or successor from the close event. */
  private static void startAndClose(Map<String, Object> model, String namespace, String workflowId, List<HistoryEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    HistoryEvent first = events.get(0);
    if (first.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      var started = first.getWorkflowExecutionStartedEventAttributes();
      PayloadText.text(started.getInput()).ifPresent(input -> model.put("input", input));
      if (!started.getContinuedExecutionRunId().isEmpty()) {
        model.put("previousRun", runLink(namespace, workflowId, started.getContinuedExecutionRunId()));
      }
      if (!started.getFirstExecutionRunId().isEmpty() && !started.getFirstExecutionRunId().equals(model.get("runId"))) {
        model.put("firstRun", runLink(namespace, workflowId, started.getFirstExecutionRunId()));
      }
      model.put("attempt", started.getAttempt());
      if (started.hasWorkflowRunTimeout() && started.getWorkflowRunTimeout().getSeconds() > 0) {
        model.put("runTimeout", Durations.words(started.getWorkflowRunTimeout()));
      }
    }
    HistoryEvent last = events.get(events.size() - 1);
    switch (last.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        model.put("result", PayloadText.text(last.getWorkflowExecutionCompletedEventAttributes().getResult()).orElse("null"));
        nextRun(model, namespace, workflowId, last.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        model.put("failure", failure(last.getWorkflowExecutionFailedEventAttributes().getFailure()));
        nextRun(model, namespace, workflowId, last.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
        model.put("failure", new FailureView("The workflow run timed out", "timeout", ""));
        nextRun(model, namespace, workflowId, last.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        var terminated = last.getWorkflowExecutionTerminatedEventAttributes();
        model.put("failure", new FailureView("Terminated" + (terminated.getReason().isEmpty() ? "" : ": " + terminated.getReason())
            + (terminated.getIdentity().isEmpty() ? "" : " (by " + terminated.getIdentity() + ")"), "terminated", ""));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> model.put("failure", new FailureView("Canceled"
          + PayloadText.text(last.getWorkflowExecutionCanceledEventAttributes().getDetails()).map(details -> ": " + details).orElse(""), "canceled", ""));
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
          nextRun(model, namespace, workflowId, last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId());
      default -> { }
    }
  }

  private static void nextRun(Map<String, Object> model, String namespace, String workflowId, String runId) {
    if (!runId.isEmpty()) {
      model.put("nextRun", runLink(namespace, workflowId, runId));
    }
  }

  private static RunLink runLink(String namespace, String workflowId, String runId) {
    return new RunLink(workflowId, runId, Links.workflow(namespace, workflowId, runId));
  }

  static FailureView failure(Failure failure) {
    return new FailureView(Failures.oneLine(failure), Failures.kind(failure), Failures.stackTraces(failure));
  }

  private static PendingActivity pendingActivity(PendingActivityInfo activity, Instant now) {
    String state = activity.getState().name().replaceFirst("^PENDING_ACTIVITY_STATE_", "").replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
    boolean waitingToRetry = activity.getAttempt() > 1 && activity.hasNextAttemptScheduleTime();
    return new PendingActivity(
        activity.getActivityId(),
        activity.getActivityType().getName(),
        waitingToRetry && state.equals("scheduled") ? "waiting to retry" : state,
        activity.getAttempt(),
        activity.getMaximumAttempts() == 0 ? "unlimited" : String.valueOf(activity.getMaximumAttempts()),
        activity.hasLastFailure() ? Failures.oneLine(activity.getLastFailure()) : null,
        PayloadText.text(activity.getHeartbeatDetails()).orElse(null),
        When.of(activity.getLastHeartbeatTime(), now),
        When.of(activity.getLastStartedTime(), now),
        When.of(activity.getNextAttemptScheduleTime(), now),
        activity.getLastWorkerIdentity().isEmpty() ? null : activity.getLastWorkerIdentity());
  }

  private static RunLink pendingChild(String namespace, PendingChildExecutionInfo child) {
    return new RunLink(child.getWorkflowId(), child.getRunId(), Links.workflow(namespace, child.getWorkflowId(), child.getRunId()));
  }

  /**
   * What the run is doing right now, in sentences: its open activities, timers, children and
   * workflow task; with none of them it waits for a message or a condition of its own.
   */
  private static List<String> now(DescribeWorkflowExecutionResponse description, List<PendingTimer> timers) {
    List<String> lines = new ArrayList<>();
    for (PendingActivityInfo activity : description.getPendingActivitiesList()) {
      String name = "Activity " + activity.getActivityType().getName();
      if (activity.getState() == io.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
        lines.add(name + " is running on a worker (attempt " + activity.getAttempt() + ").");
      } else if (activity.getAttempt() > 1) {
        lines.add(name + " failed " + (activity.getAttempt() - 1) + (activity.getAttempt() == 2 ? " time" : " times")
            + " and will be retried" + (activity.hasLastFailure() ? "; last failure: " + Failures.oneLine(activity.getLastFailure()) : "") + ".");
      } else {
        lines.add(name + " is waiting for a worker to pick it up.");
      }
    }
    for (PendingTimer timer : timers) {
      lines.add("A " + timer.duration() + " timer fires " + timer.firesAt().relative() + ".");
    }
    for (PendingChildExecutionInfo child : description.getPendingChildrenList()) {
      lines.add("Child workflow " + child.getWorkflowTypeName() + " " + child.getWorkflowId() + " is running.");
    }
    if (description.hasPendingWorkflowTask()) {
      lines.add(description.getPendingWorkflowTask().getState() == io.temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
          ? "A worker is running the workflow code." : "Waiting for a worker to run the workflow code.");
    }
    if (lines.isEmpty()) {
      lines.add("Nothing is pending: the workflow waits for a signal, an update or a condition in its own code.");
    }
    return lines;
  }

  /** Timers started and neither fired nor canceled: DescribeWorkflowExecution does not list them, the history does. */
  private static List<PendingTimer> pendingTimers(List<HistoryEvent> events, Instant now) {
    Map<Long, HistoryEvent> started = new LinkedHashMap<>();
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_TIMER_STARTED -> started.put(event.getEventId(), event);
        case EVENT_TYPE_TIMER_FIRED -> started.remove(event.getTimerFiredEventAttributes().getStartedEventId());
        case EVENT_TYPE_TIMER_CANCELED -> started.remove(event.getTimerCanceledEventAttributes().getStartedEventId());
        default -> { }
      }
    }
    return started.values().stream().map(event -> {
      var attributes = event.getTimerStartedEventAttributes();
      Instant fires = Instant.ofEpochSecond(event.getEventTime().getSeconds(), event.getEventTime().getNanos())
          .plusSeconds(attributes.getStartToFireTimeout().getSeconds()).plusNanos(attributes.getStartToFireTimeout().getNanos());
      return new PendingTimer(attributes.getTimerId(), Durations.words(attributes.getStartToFireTimeout()), When.of(fires, now));
    }).toList();
  }

  /** Every child this run started, with how it ended, from the history. */
  private static List<Child> children(String namespace, List<HistoryEvent> events) {
    Map<Long, Child> children = new LinkedHashMap<>();
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
        var attributes = event.getStartChildWorkflowExecutionInitiatedEventAttributes();
        String childNamespace = attributes.getNamespace().isEmpty() ? namespace : attributes.getNamespace();
        children.put(event.getEventId(), new Child(attributes.getWorkflowId(), attributes.getWorkflowType().getName(), "Starting",
            Links.workflow(childNamespace, attributes.getWorkflowId(), null)));
        continue;
      }
      Optional<Long> initiated = childInitiatedId(event);
      if (initiated.isPresent() && children.containsKey(initiated.get())) {
        Child child = children.get(initiated.get());
        String state = Timeline.typeName(event.getEventType()).replaceFirst("^(StartChildWorkflowExecution|ChildWorkflowExecution)", "");
        children.put(initiated.get(), new Child(child.workflowId(), child.type(), state.equals("Started") ? "Running" : state, child.link()));
      }
    }
    return List.copyOf(children.values());
  }

  private static Optional<Long> childInitiatedId(HistoryEvent event) {
    return switch (event.getEventType()) {
      case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED -> Optional.of(event.getStartChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED -> Optional.of(event.getChildWorkflowExecutionStartedEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> Optional.of(event.getChildWorkflowExecutionCompletedEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> Optional.of(event.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED -> Optional.of(event.getChildWorkflowExecutionCanceledEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT -> Optional.of(event.getChildWorkflowExecutionTimedOutEventAttributes().getInitiatedEventId());
      case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED -> Optional.of(event.getChildWorkflowExecutionTerminatedEventAttributes().getInitiatedEventId());
      default -> Optional.empty();
    };
  }

  /** The workers polling the run's task queue, for workflow and for activity tasks. */
  private List<Worker> workers(String namespace, String taskQueue, Instant now) {
    List<Worker> workers = new ArrayList<>();
    for (TaskQueueType type : List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
      try {
        List<PollerInfo> pollers = service.blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
            .setTaskQueueType(type)
            .build()).getPollersList();
        String kind = type == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? "workflows" : "activities";
        for (PollerInfo poller : pollers) {
          workers.add(new Worker(poller.getIdentity(), kind, When.of(poller.getLastAccessTime(), now)));
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED && e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
          throw e;
        }
      }
    }
    return workers;
  }

  /**
   * The signals and queries the workflow's code declares, from the SDK's built-in
   * {@code __temporal_workflow_metadata} query, so the forms can offer their names. Asked only
   * when a worker polls, with a short deadline: a page must not wait on a worker that is gone.
   */
  private Optional<WorkflowMetadata> handlers(String namespace, WorkflowExecution execution) {
    try {
      var response = service.blockingStub().withDeadlineAfter(METADATA_QUERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .queryWorkflow(QueryWorkflowRequest.newBuilder()
              .setNamespace(namespace)
              .setExecution(execution)
              .setQuery(WorkflowQuery.newBuilder().setQueryType(WorkflowClient.QUERY_TYPE_WORKFLOW_METADATA))
              .build());
      if (!response.hasQueryResult() || response.getQueryResult().getPayloadsCount() == 0) {
        return Optional.empty();
      }
      return Optional.of(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
          response.getQueryResult().getPayloads(0), WorkflowMetadata.class, WorkflowMetadata.class));
    } catch (StatusRuntimeException | DataConverterException e) {
      // An older SDK, another language's SDK without it, or a busy worker: the forms still work, without suggestions.
      return Optional.empty();
    }
  }

  /** Where the run can be reset to: after each completed workflow task. */
  private static List<ResetPoint> resetPoints(List<HistoryEvent> events) {
    List<ResetPoint> points = new ArrayList<>();
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        points.add(new ResetPoint(event.getEventId()));
      }
    }
    java.util.Collections.reverse(points);
    return points;
  }

  record RunLink(String workflowId, String runId, String link) {}

  record FailureView(String message, String kind, String stackTrace) {}

  record PendingActivity(String activityId, String type, String state, int attempt, String maximumAttempts, String lastFailure,
      String heartbeatDetails, When lastHeartbeat, When lastStarted, When nextAttempt, String lastWorker) {}

  record PendingTimer(String timerId, String duration, When firesAt) {}

  record Child(String workflowId, String type, String state, String link) {}

  record Worker(String identity, String kind, When lastSeen) {}

  record ResetPoint(long eventId) {}
}
