package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.DeadlineExceededException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.WorkflowNotReadyException;
import dev.hourglass.common.QueryFailedException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.query.v1.QueryRejected;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QueryWorkflow: a query is handed to a workflow worker as a query task (a workflow task poll
 * response carrying {@code query}), answered with RespondQueryTaskCompleted. Queries change nothing
 * and are not stored: a query whose worker or server goes away is answered with an error, and the
 * client may ask again.
 *
 * <p>Routing as in Temporal's direct queries: to the sticky worker (it has the run cached, so no
 * history is sent) when one is polling, otherwise to the normal queue with the history up to the
 * last completed workflow task, which any worker can replay — also for closed workflows.
 */
final class Queries {
  /** Outcome of a query task, as the worker reported it. */
  record Answer(RespondQueryTaskCompletedRequest response) {}

  private record Pending(ExecutionKey execution, WorkflowQuery query, boolean sticky, CompletableFuture<Answer> answer) {}

  private final ExecutionUpdater updater;
  private final HistoryReader reader;
  private final MatchingEngine matching;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  /**
   * Queries held back while their execution has a workflow task pending: the worker can answer
   * only from a history that ends at a completed workflow task (before the first one completes,
   * no workflow code has run at all). Dispatched by {@link #onCommitted} once the task completes.
   * A run whose first workflow task still waits for its backoff (retry, cron, start delay) holds
   * queries the same way, until that first task has completed.
   */
  private final Map<ExecutionKey, List<TaskRecord>> waiting = new ConcurrentHashMap<>();
  /** Query task ids are negative so they never collide with backlog task ids. */
  private final AtomicLong nextId = new AtomicLong();

  Queries(ExecutionUpdater updater, HistoryReader reader, MatchingEngine matching, ScheduledExecutorService scheduler, Clock clock) {
    this.updater = requireNonNull(updater, "updater is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.matching = requireNonNull(matching, "matching is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  static boolean isQueryTask(long taskId) {
    return taskId < 0;
  }

  private record Target(String taskQueue, boolean sticky, WorkflowExecutionStatus status, boolean normalQueuePolled,
      boolean workflowTaskPending) {}

  CompletableFuture<QueryWorkflowResponse> query(ExecutionKey key, WorkflowQuery query, QueryRejectCondition rejectCondition,
      Duration timeout) {
    long id = -nextId.incrementAndGet();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    long deadlineMillis = clock.millis() + timeout.toMillis();
    // One read of the execution decides everything; null when it cannot be ready in time.
    Target target = updater.read(key, state -> {
      if (FirstWorkflowTaskBackoff.waitsPast(state, deadlineMillis)) {
        return null;
      }
      boolean sticky = !state.stickyTaskQueue.isEmpty() && matching.isStickyQueueAlive(state.namespaceId, state.stickyTaskQueue);
      Target found = new Target(sticky ? state.stickyTaskQueue : state.taskQueue(), sticky,
          WorkflowExecutionStatus.forNumber(state.status), matching.hasRecentPoller(state.namespaceId, state.taskQueue(), TaskKind.WORKFLOW),
          state.workflowTask != null || FirstWorkflowTaskBackoff.waiting(state));
      if (found.workflowTaskPending() && !rejected(found, rejectCondition)) {
        // Registered under the execution's lock, so the completion of the task cannot slip by.
        pending.put(id, new Pending(key, query, false, answer));
        waiting.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(new TaskRecord(state.taskQueue(), TaskKind.WORKFLOW, id, key, 0, clock.millis()));
      }
      return found;
    });
    if (target == null) {
      // As Temporal's WorkflowNotReady: no workflow code will have run before the query's deadline.
      return CompletableFuture.failedFuture(new WorkflowNotReadyException(
          "Workflow task is not scheduled yet: the workflow waits for its start delay, retry backoff or cron time."));
    }
    if (rejected(target, rejectCondition)) {
      return CompletableFuture.completedFuture(QueryWorkflowResponse.newBuilder()
          .setQueryRejected(QueryRejected.newBuilder().setStatus(target.status())).build());
    }
    if (!target.workflowTaskPending()) {
      pending.put(id, new Pending(key, query, target.sticky(), answer));
      matching.addQueryTask(new TaskRecord(target.taskQueue(), TaskKind.WORKFLOW, id, key, 0, clock.millis()));
    }
    // No worker at all is a clear, final answer (FAILED_PRECONDITION, which the SDK does not
    // retry); a worker that polls but did not answer in time is a timeout the client may retry.
    var expiry = scheduler.schedule(() -> answer.completeExceptionally(target.normalQueuePolled()
        ? new DeadlineExceededException("query timed out: no worker answered within " + timeout.toMillis() + " ms")
        : new FailedPreconditionException("query cannot be answered: no worker is polling the workflow's task queue "
            + target.taskQueue() + " (start a worker for it)")), timeout.toMillis(), TimeUnit.MILLISECONDS);
    answer.whenComplete((result, error) -> {
      expiry.cancel(false);
      pending.remove(id);
      List<TaskRecord> held = waiting.get(key);
      if (held != null) {
        held.removeIf(task -> task.taskId() == id);
        waiting.remove(key, List.of());
      }
    });
    return answer.thenApply(result -> toResponse(result.response()));
  }

  private static boolean rejected(Target target, QueryRejectCondition rejectCondition) {
    return target.status() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && (rejectCondition == QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN
        || (rejectCondition == QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY
        && target.status() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
  }

  /** After each commit, under the execution's lock: release held queries once no workflow task is pending. */
  void onCommitted(ExecutionMutation mutation) {
    if (waiting.isEmpty() || mutation.state().workflowTask != null || FirstWorkflowTaskBackoff.waiting(mutation.state())) {
      return;
    }
    List<TaskRecord> held = waiting.remove(mutation.executionKey());
    if (held == null) {
      return;
    }
    // The task that just completed usually made its worker sticky: that worker has the run cached
    // and answers without replaying (replay would run the workflow code again).
    MutableState state = mutation.state();
    boolean sticky = !state.stickyTaskQueue.isEmpty() && matching.isStickyQueueAlive(state.namespaceId, state.stickyTaskQueue);
    for (TaskRecord task : held) {
      if (sticky) {
        pending.computeIfPresent(task.taskId(), (id, query) -> new Pending(query.execution(), query.query(), true, query.answer()));
        matching.addQueryTask(new TaskRecord(state.stickyTaskQueue, TaskKind.WORKFLOW, task.taskId(), task.execution(), 0,
            task.createTimeMillis()));
      } else {
        matching.addQueryTask(task);
      }
    }
  }

  private static QueryWorkflowResponse toResponse(RespondQueryTaskCompletedRequest response) {
    return switch (response.getCompletedType()) {
      case QUERY_RESULT_TYPE_ANSWERED -> QueryWorkflowResponse.newBuilder().setQueryResult(response.getQueryResult()).build();
      case QUERY_RESULT_TYPE_FAILED, QUERY_RESULT_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw new QueryFailedException(
          response.getErrorMessage().isEmpty() ? "query failed" : response.getErrorMessage());
    };
  }

  /** The query task's poll response, built when a poller takes it. Empty if the query is over. */
  Optional<PollWorkflowTaskQueueResponse> start(TaskRecord task) {
    Pending query = pending.get(task.taskId());
    if (query == null || query.answer().isDone()) {
      return Optional.empty();
    }
    ExecutionKey key = query.execution();
    record Snapshot(String workflowType, String taskQueue, long previousStartedEventId, long lastEventId) {}
    Snapshot snapshot = updater.read(key, state -> new Snapshot(state.workflowType(), state.taskQueue(),
        state.lastCompletedWorkflowTaskStartedEventId, state.nextEventId - 1));
    List<HistoryEvent> events = List.of();
    if (!query.sticky()) {
      events = new ArrayList<>(reader.readEvents(key, 1, snapshot.lastEventId(), Integer.MAX_VALUE));
      // A workflow task scheduled or running is not the worker's to replay: end at the last completed one.
      while (!events.isEmpty() && isPendingWorkflowTaskEvent(events.get(events.size() - 1))) {
        events.remove(events.size() - 1);
      }
    }
    return Optional.of(PollWorkflowTaskQueueResponse.newBuilder()
        .setTaskToken(new TaskToken(key, true, task.taskId(), 0).encode())
        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
        .setWorkflowType(WorkflowType.newBuilder().setName(snapshot.workflowType()))
        .setPreviousStartedEventId(snapshot.previousStartedEventId())
        .setQuery(query.query())
        .setHistory(History.newBuilder().addAllEvents(events))
        .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(snapshot.taskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
        .build());
  }

  private static boolean isPendingWorkflowTaskEvent(HistoryEvent event) {
    return event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        || event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;
  }

  void respond(TaskToken token, RespondQueryTaskCompletedRequest response) {
    Pending query = pending.get(token.id());
    if (query == null || !query.execution().equals(token.execution())) {
      throw new NotFoundException("query task not found, or already answered or timed out");
    }
    query.answer().complete(new Answer(response));
  }
}
