package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.AlreadyExistsException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.FailedPreconditionException;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.WorkflowAlreadyStartedException;
import dev.hourglass.common.WorkflowKey;
import dev.hourglass.engine.schedule.ScheduleSpecs;
import dev.hourglass.engine.schedule.ScheduleTimes;
import dev.hourglass.engine.visibility.SearchAttributeValidator;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.TimerRecord;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.schedule.v1.BackfillRequest;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.ScheduleInfo;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.schedule.v1.ScheduleListInfo;
import io.temporal.api.schedule.v1.SchedulePatch;
import io.temporal.api.schedule.v1.SchedulePolicies;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.NewWorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Temporal's Schedules, run by the engine itself. A schedule is the mutable state of an internal
 * execution {@code temporal-sys-scheduler:<id>} (Temporal's name for its scheduler workflow), so
 * it is durable, cached and fenced like any execution. Its next nominal time is a timer row; when
 * it fires, due actions are buffered, the overlap policy decides which start now, and a transfer
 * task starts them (request id = schedule run and start number, so a repeat starts nothing twice).
 * A workflow the schedule started carries the {@code TemporalScheduledById} search attribute; when
 * its chain ends, a transfer task tells the schedule, which may then start what it buffered or
 * pause on failure.
 */
final class Schedules {
  static final String WORKFLOW_ID_PREFIX = "temporal-sys-scheduler:";
  static final String WORKFLOW_TYPE = "temporal-sys-scheduler-workflow";
  static final String TASK_QUEUE = "temporal-sys-per-ns-tq";
  static final String SCHEDULED_BY_ID = "TemporalScheduledById";
  static final String SCHEDULED_START_TIME = "TemporalScheduledStartTime";
  static final String NAMESPACE_DIVISION = "TemporalNamespaceDivision";
  static final String SCHEDULE_PAUSED = "TemporalSchedulePaused";
  static final String SCHEDULER_DIVISION = "TemporalScheduler";
  private static final long DEFAULT_CATCHUP_WINDOW_MILLIS = 365L * 24 * 3600 * 1000;
  private static final long MIN_CATCHUP_WINDOW_MILLIS = 10_000;
  private static final int RECENT_ACTIONS = 10;
  private static final int FUTURE_ACTIONS = 10;
  /** Most nominal times taken in one step: a schedule every second down for a day catches up in pieces. */
  private static final int MAX_TIMES_PER_STEP = 1_000;
  private static final int MAX_BUFFER = 1_000;
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final SearchAttributeValidator searchAttributes;
  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final WorkflowStarter starter;
  private final WorkflowTasks workflowTasks;
  private final Signals signals;

  Schedules(ExecutionStore store, ExecutionUpdater updater, WorkflowStarter starter, WorkflowTasks workflowTasks, Signals signals,
      SearchAttributeValidator searchAttributes) {
    this.searchAttributes = requireNonNull(searchAttributes, "searchAttributes is null");
    this.store = requireNonNull(store, "store is null");
    this.updater = requireNonNull(updater, "updater is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.workflowTasks = requireNonNull(workflowTasks, "workflowTasks is null");
    this.signals = requireNonNull(signals, "signals is null");
  }

  /** What CreateSchedule asks for. */
  record CreateRequest(String scheduleId, Schedule schedule, SchedulePatch initialPatch, String identity, String requestId, Memo memo,
      SearchAttributes searchAttributes) {}

  /** CreateSchedule: returns the conflict token. */
  ByteString create(String namespaceId, CreateRequest request) {
    requireScheduleId(request.scheduleId());
    Schedule schedule = validated(namespaceId, request.schedule());
    WorkflowKey workflow = new WorkflowKey(namespaceId, WORKFLOW_ID_PREFIX + request.scheduleId());
    Optional<CurrentExecution> current = store.getCurrentExecution(workflow);
    if (current.isPresent() && current.get().status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE) {
      if (!request.requestId().isEmpty() && current.get().startRequestId().equals(request.requestId())) {
        return updater.read(new ExecutionKey(namespaceId, workflow.workflowId(), current.get().runId()),
            state -> token(state.schedule.conflictToken));
      }
      throw new AlreadyExistsException("schedule with this ID is already registered");
    }
    StartWorkflowExecutionRequest.Builder start = StartWorkflowExecutionRequest.newBuilder()
        .setWorkflowId(workflow.workflowId())
        .setWorkflowType(WorkflowType.newBuilder().setName(WORKFLOW_TYPE))
        .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
        .setIdentity(request.identity())
        .setRequestId(request.requestId().isEmpty() ? UUID.randomUUID().toString() : request.requestId());
    if (request.memo() != null) {
      start.setMemo(request.memo());
    }
    SearchAttributes.Builder searchAttributes = request.searchAttributes() == null ? SearchAttributes.newBuilder()
        : request.searchAttributes().toBuilder();
    // As Temporal marks its scheduler workflows: lists leave out runs of a namespace division unless asked.
    searchAttributes.putIndexedFields(NAMESPACE_DIVISION, jsonPayload("\"" + SCHEDULER_DIVISION + "\""));
    start.setSearchAttributes(searchAttributes);
    MutableState state = WorkflowStarter.newState(workflow, start.build());
    try {
      updater.create(state, mutation -> {
        mutation.setCurrent(new CurrentExecution(namespaceId, workflow.workflowId(), state.runId,
            WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, state.startRequestId), current.map(CurrentExecution::runId));
        mutation.append(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            event -> event.setWorkflowExecutionStartedEventAttributes(state.startedAttributes));
        state.startTimeMillis = mutation.nowMillis();
        ScheduleState scheduleState = new ScheduleState();
        scheduleState.scheduleId = request.scheduleId();
        scheduleState.schedule = schedule;
        scheduleState.conflictToken = 1;
        scheduleState.createTimeMillis = mutation.nowMillis();
        scheduleState.processedUntilMillis = mutation.nowMillis();
        state.schedule = scheduleState;
        if (request.initialPatch() != null) {
          applyPatch(mutation, request.initialPatch());
        }
        advance(mutation);
        return null;
      });
    } catch (dev.hourglass.common.ConditionFailedException e) {
      throw new AlreadyExistsException("schedule with this ID is already registered");
    }
    return token(1);
  }

  DescribeScheduleResponse describe(String namespaceId, String scheduleId) {
    return updater.read(resolve(namespaceId, scheduleId), state -> {
      ScheduleState schedule = state.schedule;
      DescribeScheduleResponse.Builder response = DescribeScheduleResponse.newBuilder()
          .setSchedule(schedule.schedule)
          .setInfo(info(schedule, updater.clock().millis()))
          .setConflictToken(token(schedule.conflictToken));
      if (state.memo != null) {
        response.setMemo(state.memo);
      }
      if (state.searchAttributes != null) {
        response.setSearchAttributes(userSearchAttributes(state.searchAttributes));
      }
      return response.build();
    });
  }

  /** UpdateSchedule: replaces the schedule; with a conflict token, only if nobody changed it since. */
  void update(String namespaceId, String scheduleId, Schedule schedule, ByteString conflictToken, SearchAttributes searchAttributes) {
    Schedule validated = validated(namespaceId, schedule);
    updater.update(resolve(namespaceId, scheduleId), mutation -> {
      ScheduleState state = runningSchedule(mutation.state());
      if (!conflictToken.isEmpty() && !conflictToken.equals(token(state.conflictToken))) {
        throw new FailedPreconditionException("mismatched conflict token: the schedule was changed since it was read");
      }
      state.schedule = validated;
      // A new spec acts from now on: times it names before the update are not caught up.
      state.processedUntilMillis = Math.max(state.processedUntilMillis, mutation.nowMillis());
      if (searchAttributes != null) {
        mutation.state().searchAttributes = searchAttributes;
      }
      touch(mutation, state);
      advance(mutation);
      return null;
    });
  }

  /** PatchSchedule: trigger, backfill, pause, unpause. */
  void patch(String namespaceId, String scheduleId, SchedulePatch patch) {
    updater.update(resolve(namespaceId, scheduleId), mutation -> {
      ScheduleState state = runningSchedule(mutation.state());
      applyPatch(mutation, patch);
      touch(mutation, state);
      advance(mutation);
      return null;
    });
  }

  void delete(String namespaceId, String scheduleId) {
    updater.update(resolve(namespaceId, scheduleId), mutation -> {
      ScheduleState state = runningSchedule(mutation.state());
      mutation.deleteTimer(state.nextActionTimerId);
      mutation.deleteTimer(state.actTaskId);
      state.nextActionTimerId = 0;
      state.actTaskId = 0;
      WorkflowCloser.terminate(mutation, workflowTasks, "schedule deleted", null, ChildWorkflows.SERVER_IDENTITY);
      return null;
    });
  }

  /** A page of the namespace's schedules, in id order; the token is the last schedule id. */
  record Page(List<ScheduleListEntry> entries, String nextPageToken) {}

  Page list(String namespaceId, int pageSize, String pageToken) {
    int size = pageSize <= 0 || pageSize > 1000 ? 1000 : pageSize;
    List<CurrentExecution> runs = store.listOpenCurrentExecutions(namespaceId, WORKFLOW_ID_PREFIX,
        pageToken.isEmpty() ? "" : WORKFLOW_ID_PREFIX + pageToken, size);
    List<ScheduleListEntry> entries = entries(namespaceId,
        runs.stream().map(run -> new ExecutionKey(namespaceId, run.workflowId(), run.runId())).toList());
    String next = runs.size() < size ? "" : runs.get(runs.size() - 1).workflowId().substring(WORKFLOW_ID_PREFIX.length());
    return new Page(entries, next);
  }

  /**
   * The list entries of scheduler executions, as they are now; executions that are no longer
   * running schedules (deleted since they were listed) are left out.
   */
  List<ScheduleListEntry> entries(String namespaceId, List<ExecutionKey> executions) {
    List<ScheduleListEntry> entries = new ArrayList<>();
    long now = updater.clock().millis();
    for (ExecutionKey execution : executions) {
      ScheduleListEntry entry = updater.readIfExists(execution, state -> {
        if (!state.running() || state.schedule == null) {
          return null;
        }
        ScheduleState schedule = state.schedule;
        ScheduleInfo info = info(schedule, now);
        ScheduleListInfo.Builder listInfo = ScheduleListInfo.newBuilder()
            .setSpec(schedule.schedule.getSpec().toBuilder().clearTimezoneData())
            .setNotes(schedule.schedule.getState().getNotes())
            .setPaused(schedule.schedule.getState().getPaused())
            .addAllRecentActions(info.getRecentActionsList())
            .addAllFutureActionTimes(info.getFutureActionTimesList());
        if (schedule.schedule.getAction().hasStartWorkflow()) {
          listInfo.setWorkflowType(schedule.schedule.getAction().getStartWorkflow().getWorkflowType());
        }
        ScheduleListEntry.Builder built = ScheduleListEntry.newBuilder().setScheduleId(schedule.scheduleId).setInfo(listInfo);
        if (state.memo != null) {
          built.setMemo(state.memo);
        }
        if (state.searchAttributes != null) {
          built.setSearchAttributes(userSearchAttributes(state.searchAttributes));
        }
        return built.build();
      });
      if (entry != null) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** ListScheduleMatchingTimes: the schedule's nominal times in [start, end]. */
  List<Long> matchingTimes(String namespaceId, String scheduleId, long startMillis, long endMillis) {
    Schedule schedule = updater.read(resolve(namespaceId, scheduleId), state -> runningSchedule(state).schedule);
    return new ScheduleTimes(schedule.getSpec()).between(startMillis - 1, endMillis, MAX_TIMES_PER_STEP);
  }

  // ---- inside the schedule's execution ----

  private void applyPatch(ExecutionMutation mutation, SchedulePatch patch) {
    ScheduleState state = mutation.state().schedule;
    long now = mutation.nowMillis();
    if (patch.hasTriggerImmediately()) {
      long nominal = patch.getTriggerImmediately().hasScheduledTime()
          ? Timestamps.toMillis(patch.getTriggerImmediately().getScheduledTime()) : now;
      buffer(state, nominal, now, patch.getTriggerImmediately().getOverlapPolicyValue(), true);
    }
    for (BackfillRequest backfill : patch.getBackfillRequestList()) {
      ScheduleTimes times = new ScheduleTimes(state.schedule.getSpec());
      // Both ends are inclusive, as in Temporal since its scheduler's InclusiveBackfillStartTime
      // version: it moves the start back by a millisecond before asking for the times after it.
      for (long nominal : times.between(Timestamps.toMillis(backfill.getStartTime()) - 1, Timestamps.toMillis(backfill.getEndTime()),
          MAX_BUFFER)) {
        buffer(state, nominal, now, backfill.getOverlapPolicyValue(), true);
      }
    }
    if (!patch.getPause().isEmpty()) {
      setPaused(state, true, patch.getPause());
    }
    if (!patch.getUnpause().isEmpty()) {
      setPaused(state, false, patch.getUnpause());
      // Times that passed while paused are not taken.
      state.processedUntilMillis = Math.max(state.processedUntilMillis, now);
    }
  }

  private static void setPaused(ScheduleState state, boolean paused, String notes) {
    state.schedule = state.schedule.toBuilder()
        .setState(state.schedule.getState().toBuilder().setPaused(paused).setNotes(notes))
        .build();
  }

  private static void buffer(ScheduleState state, long nominalMillis, long actualMillis, int overlapPolicy, boolean manual) {
    if (state.buffer.size() >= MAX_BUFFER) {
      state.bufferDropped++;
      return;
    }
    ScheduleState.BufferedAction action = new ScheduleState.BufferedAction();
    action.nominalMillis = nominalMillis;
    action.actualMillis = actualMillis;
    action.overlapPolicy = overlapPolicy;
    action.manual = manual;
    state.buffer.add(action);
  }

  /**
   * Takes the nominal times that came due (missed ones older than the catch-up window are
   * counted, not taken), lets the overlap policy start what it can, and arms the timer for the
   * next time.
   */
  private void advance(ExecutionMutation mutation) {
    indexPaused(mutation);
    ScheduleState state = mutation.state().schedule;
    long now = mutation.nowMillis();
    ScheduleTimes times = new ScheduleTimes(state.schedule.getSpec());
    boolean paused = state.schedule.getState().getPaused();
    long catchupWindow = catchupWindowMillis(state.schedule.getPolicies());
    for (long nominal : times.between(state.processedUntilMillis, now, MAX_TIMES_PER_STEP)) {
      long actual = times.withJitter(state.scheduleId, nominal);
      if (actual > now) {
        break;
      }
      state.processedUntilMillis = nominal;
      if (paused) {
        continue;
      }
      if (now - actual > catchupWindow) {
        state.missedCatchupWindow++;
      } else {
        buffer(state, nominal, actual, 0, false);
      }
    }
    if (paused) {
      state.processedUntilMillis = Math.max(state.processedUntilMillis, now);
    }
    resolveBuffer(mutation);
    mutation.deleteTimer(state.nextActionTimerId);
    state.nextActionTimerId = 0;
    long next = times.next(state.processedUntilMillis);
    if (next >= 0 && !paused) {
      state.nextActionTimerId = mutation.addTimer(Math.max(now, times.withJitter(state.scheduleId, next)),
          TimerKind.SCHEDULE_NEXT_ACTION, 0, 0, "");
    }
    mutation.touch();
  }

  /** Starts buffered actions as the overlap policy allows; asks running workflows to stop where it says so. */
  private void resolveBuffer(ExecutionMutation mutation) {
    ScheduleState state = mutation.state().schedule;
    while (!state.buffer.isEmpty()) {
      ScheduleState.BufferedAction action = state.buffer.get(0);
      ScheduleOverlapPolicy policy = overlapPolicy(state, action);
      boolean busy = !state.running.isEmpty() || !state.starting.isEmpty();
      if (!action.manual && state.schedule.getState().getLimitedActions() && state.schedule.getState().getRemainingActions() <= 0) {
        state.buffer.remove(0);
        continue;
      }
      if (!busy || policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL) {
        state.buffer.remove(0);
        start(mutation, action);
        continue;
      }
      switch (policy) {
        case SCHEDULE_OVERLAP_POLICY_BUFFER_ONE -> {
          // One waits; later ones that would also wait are skipped.
          while (state.buffer.size() > 1 && overlapPolicy(state, state.buffer.get(1)) == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE) {
            state.buffer.remove(1);
            state.overlapSkipped++;
          }
          return;
        }
        case SCHEDULE_OVERLAP_POLICY_BUFFER_ALL -> {
          return;
        }
        case SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER -> {
          askRunning(mutation, state.toCancel);
          return;
        }
        case SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER -> {
          askRunning(mutation, state.toTerminate);
          return;
        }
        default -> {
          state.buffer.remove(0);
          state.overlapSkipped++;
        }
      }
    }
  }

  private static ScheduleOverlapPolicy overlapPolicy(ScheduleState state, ScheduleState.BufferedAction action) {
    int value = action.overlapPolicy != 0 ? action.overlapPolicy : state.schedule.getPolicies().getOverlapPolicyValue();
    ScheduleOverlapPolicy policy = ScheduleOverlapPolicy.forNumber(value);
    return policy == null || policy == ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED
        ? ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP : policy;
  }

  private void askRunning(ExecutionMutation mutation, List<WorkflowExecution> requests) {
    ScheduleState state = mutation.state().schedule;
    for (WorkflowExecution running : state.running) {
      if (!requests.contains(running)) {
        requests.add(running);
      }
    }
    ensureActTask(mutation);
  }

  private void start(ExecutionMutation mutation, ScheduleState.BufferedAction action) {
    ScheduleState state = mutation.state().schedule;
    NewWorkflowExecutionInfo workflow = state.schedule.getAction().getStartWorkflow();
    ScheduleState.PendingStart start = new ScheduleState.PendingStart();
    start.sequence = ++state.sequence;
    start.nominalMillis = action.nominalMillis;
    start.actualMillis = action.actualMillis;
    start.workflowId = state.schedule.getPolicies().getKeepOriginalWorkflowId()
        ? workflow.getWorkflowId() : workflow.getWorkflowId() + "-" + ID_TIME.format(Instant.ofEpochMilli(action.nominalMillis));
    state.starting.add(start);
    state.actionCount++;
    if (!action.manual && state.schedule.getState().getLimitedActions()) {
      state.schedule = state.schedule.toBuilder().setState(state.schedule.getState().toBuilder()
          .setRemainingActions(state.schedule.getState().getRemainingActions() - 1)).build();
    }
    ensureActTask(mutation);
  }

  private static void ensureActTask(ExecutionMutation mutation) {
    ScheduleState state = mutation.state().schedule;
    if (state.actTaskId == 0) {
      state.actTaskId = mutation.addTransfer(TimerKind.SCHEDULE_ACT, 0);
    }
  }

  // ---- timer and transfer tasks ----

  /** SCHEDULE_NEXT_ACTION: a nominal time came. */
  void onNextAction(TimerRecord timer) {
    updater.updateIfExists(timer.execution(), mutation -> {
      mutation.deleteTimer(timer.timerId());
      MutableState state = mutation.state();
      if (!state.running() || state.schedule == null || state.schedule.nextActionTimerId != timer.timerId()) {
        return;
      }
      state.schedule.nextActionTimerId = 0;
      advance(mutation);
    });
  }

  /** SCHEDULE_ACT: start the decided workflows and stop the ones the overlap policy replaces. */
  void act(TimerRecord task) {
    ExecutionKey key = task.execution();
    record Work(List<ScheduleState.PendingStart> starts, List<WorkflowExecution> cancels, List<WorkflowExecution> terminates,
        NewWorkflowExecutionInfo workflow, String scheduleId) {}
    Work work = updater.readIfExists(key, state -> state.schedule == null || !state.running() ? null
        : new Work(List.copyOf(state.schedule.starting), List.copyOf(state.schedule.toCancel), List.copyOf(state.schedule.toTerminate),
            state.schedule.schedule.getAction().getStartWorkflow(), state.schedule.scheduleId));
    if (work == null) {
      updater.updateIfExists(key, mutation -> mutation.deleteTimer(task.timerId()));
      return;
    }
    for (WorkflowExecution workflow : work.cancels()) {
      stopRunning(key.namespaceId(), workflow, false);
    }
    for (WorkflowExecution workflow : work.terminates()) {
      stopRunning(key.namespaceId(), workflow, true);
    }
    List<ScheduleActionResult> results = new ArrayList<>();
    for (ScheduleState.PendingStart start : work.starts()) {
      results.add(startWorkflow(key, work.scheduleId(), work.workflow(), start));
    }
    updater.updateIfExists(key, mutation -> {
      mutation.deleteTimer(task.timerId());
      MutableState execution = mutation.state();
      ScheduleState state = execution.schedule;
      if (state == null || !execution.running()) {
        return;
      }
      state.actTaskId = 0;
      state.toCancel.removeAll(work.cancels());
      state.toTerminate.removeAll(work.terminates());
      state.starting.removeIf(start -> work.starts().stream().anyMatch(done -> done.sequence == start.sequence));
      for (ScheduleActionResult result : results) {
        if (result.getStartWorkflowStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          state.running.add(result.getStartWorkflowResult());
        }
        state.recentActions.add(result);
      }
      while (state.recentActions.size() > RECENT_ACTIONS) {
        state.recentActions.remove(0);
      }
      if (!state.starting.isEmpty() || !state.toCancel.isEmpty() || !state.toTerminate.isEmpty()) {
        ensureActTask(mutation);
      }
      resolveBuffer(mutation);
      mutation.touch();
    });
  }

  /** A schedule's search attributes as its owner set them: without the marks the server keeps (Temporal removes them too). */
  private static SearchAttributes userSearchAttributes(SearchAttributes attributes) {
    return attributes.toBuilder().removeIndexedFields(NAMESPACE_DIVISION).removeIndexedFields(SCHEDULE_PAUSED).build();
  }

  /**
   * Keeps the scheduler execution's visibility row as Temporal's scheduler keeps it: marked with
   * the namespace division (so workflow lists leave it out) and {@code TemporalSchedulePaused}
   * as the schedule is, so that {@code ListSchedules} can filter on it. Rewrites the row only
   * when one of them changed.
   */
  private static void indexPaused(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    SearchAttributes current = state.searchAttributes == null ? SearchAttributes.getDefaultInstance() : state.searchAttributes;
    SearchAttributes indexed = current.toBuilder()
        .putIndexedFields(NAMESPACE_DIVISION, jsonPayload("\"" + SCHEDULER_DIVISION + "\""))
        .putIndexedFields(SCHEDULE_PAUSED, jsonPayload(Boolean.toString(state.schedule.schedule.getState().getPaused())))
        .build();
    if (!indexed.equals(current)) {
      state.searchAttributes = indexed;
      mutation.visibilityChanged();
    }
  }

  private ScheduleActionResult startWorkflow(ExecutionKey scheduleKey, String scheduleId, NewWorkflowExecutionInfo workflow,
      ScheduleState.PendingStart start) {
    SearchAttributes.Builder searchAttributes = workflow.hasSearchAttributes() ? workflow.getSearchAttributes().toBuilder()
        : SearchAttributes.newBuilder();
    searchAttributes.putIndexedFields(SCHEDULED_BY_ID, jsonPayload("\"" + scheduleId.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
    searchAttributes.putIndexedFields(SCHEDULED_START_TIME, jsonPayload("\"" + Instant.ofEpochMilli(start.nominalMillis) + "\""));
    StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
        .setWorkflowId(start.workflowId)
        .setWorkflowType(workflow.getWorkflowType())
        .setTaskQueue(workflow.getTaskQueue())
        .setWorkflowExecutionTimeout(workflow.getWorkflowExecutionTimeout())
        .setWorkflowRunTimeout(workflow.getWorkflowRunTimeout())
        .setWorkflowTaskTimeout(workflow.getWorkflowTaskTimeout())
        .setSearchAttributes(searchAttributes)
        .setIdentity("temporal-scheduler-" + scheduleId)
        .setRequestId(scheduleKey.runId() + "/" + start.sequence);
    if (workflow.hasInput()) {
      request.setInput(workflow.getInput());
    }
    if (workflow.hasRetryPolicy()) {
      request.setRetryPolicy(workflow.getRetryPolicy());
    }
    if (workflow.hasMemo()) {
      request.setMemo(workflow.getMemo());
    }
    if (workflow.hasHeader()) {
      request.setHeader(workflow.getHeader());
    }
    if (workflow.hasPriority()) {
      request.setPriority(workflow.getPriority());
    }
    ScheduleActionResult.Builder result = ScheduleActionResult.newBuilder()
        .setScheduleTime(Timestamps.fromMillis(start.actualMillis))
        .setActualTime(Timestamps.fromMillis(updater.clock().millis()));
    try {
      String runId = starter.start(scheduleKey.namespaceId(), request.build()).runId();
      return result.setStartWorkflowResult(WorkflowExecution.newBuilder().setWorkflowId(start.workflowId).setRunId(runId))
          .setStartWorkflowStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).build();
    } catch (WorkflowAlreadyStartedException e) {
      // The id is taken (keep_original_workflow_id with the last run still open): nothing started.
      return result.setStartWorkflowResult(WorkflowExecution.newBuilder().setWorkflowId(start.workflowId).setRunId(e.runId()))
          .setStartWorkflowStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED).build();
    } catch (InvalidArgumentException | NotFoundException e) {
      return result.setStartWorkflowResult(WorkflowExecution.newBuilder().setWorkflowId(start.workflowId))
          .setStartWorkflowStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED).build();
    }
  }

  /** Cancels or terminates the current run of a workflow this schedule started, if it is still that chain. */
  private void stopRunning(String namespaceId, WorkflowExecution workflow, boolean terminate) {
    Optional<CurrentExecution> current = store.getCurrentExecution(new WorkflowKey(namespaceId, workflow.getWorkflowId()));
    if (current.isEmpty()) {
      return;
    }
    updater.updateIfExists(new ExecutionKey(namespaceId, workflow.getWorkflowId(), current.get().runId()), mutation -> {
      MutableState state = mutation.state();
      if (!state.running() || !state.startedAttributes.getFirstExecutionRunId().equals(workflow.getRunId())) {
        return;
      }
      if (terminate) {
        WorkflowCloser.terminate(mutation, workflowTasks, "terminated by schedule overlap policy", null, ChildWorkflows.SERVER_IDENTITY);
      } else {
        signals.requestCancel(mutation, "canceled by schedule overlap policy", ChildWorkflows.SERVER_IDENTITY, "");
      }
    });
  }

  /** Before a closing change commits: a workflow a schedule started tells its schedule when its chain ends. */
  void onRunClosed(ExecutionMutation mutation) {
    MutableState state = mutation.state();
    if (mutation.newRun() == null && state.schedule == null && state.searchAttributes != null
        && state.searchAttributes.containsIndexedFields(SCHEDULED_BY_ID)) {
      mutation.addTransfer(TimerKind.SCHEDULE_WORKFLOW_CLOSED, state.closeEventId);
    }
  }

  /** SCHEDULE_WORKFLOW_CLOSED, on the closed workflow: the schedule forgets it, may pause, may start what waited. */
  void onWorkflowClosed(TimerRecord task) {
    ExecutionKey workflowKey = task.execution();
    record Closed(String scheduleId, String firstRunId, int status) {}
    Closed closed = updater.readIfExists(workflowKey, state -> state.running() ? null
        : new Closed(scheduleIdOf(state.searchAttributes), state.startedAttributes.getFirstExecutionRunId(), state.status));
    if (closed != null && closed.scheduleId() != null) {
      Optional<CurrentExecution> schedule = store.getCurrentExecution(
          new WorkflowKey(workflowKey.namespaceId(), WORKFLOW_ID_PREFIX + closed.scheduleId()));
      schedule.ifPresent(current -> updater.updateIfExists(
          new ExecutionKey(workflowKey.namespaceId(), current.workflowId(), current.runId()), mutation -> {
            MutableState execution = mutation.state();
            ScheduleState state = execution.schedule;
            WorkflowExecution started = WorkflowExecution.newBuilder().setWorkflowId(workflowKey.workflowId())
                .setRunId(closed.firstRunId()).build();
            if (state == null || !execution.running() || !state.running.remove(started)) {
              return;
            }
            state.toCancel.remove(started);
            state.toTerminate.remove(started);
            WorkflowExecutionStatus status = WorkflowExecutionStatus.forNumber(closed.status());
            for (int i = 0; i < state.recentActions.size(); i++) {
              if (state.recentActions.get(i).getStartWorkflowResult().equals(started)) {
                state.recentActions.set(i, state.recentActions.get(i).toBuilder().setStartWorkflowStatus(status).build());
              }
            }
            if (state.schedule.getPolicies().getPauseOnFailure() && (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT)) {
              setPaused(state, true, "paused because workflow " + workflowKey.workflowId() + " "
                  + (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED ? "failed" : "timed out"));
            }
            advance(mutation);
          }));
    }
    updater.updateIfExists(workflowKey, mutation -> mutation.deleteTimer(task.timerId()));
  }

  // ---- helpers ----

  private ExecutionKey resolve(String namespaceId, String scheduleId) {
    requireScheduleId(scheduleId);
    CurrentExecution current = store.getCurrentExecution(new WorkflowKey(namespaceId, WORKFLOW_ID_PREFIX + scheduleId))
        .filter(run -> run.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE)
        .orElseThrow(() -> new NotFoundException("schedule not found: " + scheduleId));
    return new ExecutionKey(namespaceId, current.workflowId(), current.runId());
  }

  private static ScheduleState runningSchedule(MutableState state) {
    if (!state.running() || state.schedule == null) {
      throw new NotFoundException("schedule not found: " + state.workflowId.substring(Math.min(state.workflowId.length(),
          WORKFLOW_ID_PREFIX.length())));
    }
    return state.schedule;
  }

  private static void touch(ExecutionMutation mutation, ScheduleState state) {
    state.conflictToken++;
    state.updateTimeMillis = mutation.nowMillis();
  }

  private static void requireScheduleId(String scheduleId) {
    if (scheduleId.isEmpty()) {
      throw new InvalidArgumentException("ScheduleId is not set on request.");
    }
    if (scheduleId.length() > 1000) {
      throw new InvalidArgumentException("ScheduleId exceeds length limit of 1000.");
    }
  }

  /** The schedule with its spec compiled; INVALID_ARGUMENT for what Temporal rejects. */
  private Schedule validated(String namespaceId, Schedule schedule) {
    if (!schedule.getAction().hasStartWorkflow()) {
      throw new InvalidArgumentException("The schedule's action must start a workflow.");
    }
    NewWorkflowExecutionInfo workflow = schedule.getAction().getStartWorkflow();
    if (workflow.getWorkflowId().isEmpty()) {
      throw new InvalidArgumentException("The schedule's start_workflow action has no workflow id.");
    }
    if (workflow.getWorkflowType().getName().isEmpty()) {
      throw new InvalidArgumentException("The schedule's start_workflow action has no workflow type.");
    }
    if (workflow.getTaskQueue().getName().isEmpty()) {
      throw new InvalidArgumentException("The schedule's start_workflow action has no task queue.");
    }
    if (!workflow.getCronSchedule().isEmpty()) {
      throw new InvalidArgumentException("The schedule's start_workflow action cannot have a cron schedule.");
    }
    long catchup = Durations.toMillis(schedule.getPolicies().getCatchupWindow());
    if (catchup != 0 && catchup < MIN_CATCHUP_WINDOW_MILLIS) {
      throw new InvalidArgumentException("The schedule's catchup window must be at least 10 seconds.");
    }
    io.temporal.api.schedule.v1.Schedule.Builder normalized = schedule.toBuilder().setSpec(ScheduleSpecs.compile(schedule.getSpec()));
    if (workflow.hasSearchAttributes()) {
      // Checked as a start's are, and typed: describe shows each attribute with its type, as Temporal does.
      normalized.getActionBuilder().getStartWorkflowBuilder()
          .setSearchAttributes(searchAttributes.validate(namespaceId, workflow.getSearchAttributes()));
    }
    if (catchup == 0) {
      // Temporal's describe shows the window in force: its one-year default when none was given.
      normalized.getPoliciesBuilder().setCatchupWindow(Durations.fromMillis(DEFAULT_CATCHUP_WINDOW_MILLIS));
    }
    return normalized.build();
  }

  private static long catchupWindowMillis(SchedulePolicies policies) {
    long window = Durations.toMillis(policies.getCatchupWindow());
    return window > 0 ? window : DEFAULT_CATCHUP_WINDOW_MILLIS;
  }

  private static ScheduleInfo info(ScheduleState state, long now) {
    ScheduleInfo.Builder info = ScheduleInfo.newBuilder()
        .setActionCount(state.actionCount)
        .setMissedCatchupWindow(state.missedCatchupWindow)
        .setOverlapSkipped(state.overlapSkipped)
        .setBufferDropped(state.bufferDropped)
        .setBufferSize(state.buffer.size())
        .addAllRunningWorkflows(state.running)
        .addAllRecentActions(state.recentActions)
        .setCreateTime(Timestamps.fromMillis(state.createTimeMillis));
    if (state.updateTimeMillis > 0) {
      info.setUpdateTime(Timestamps.fromMillis(state.updateTimeMillis));
    }
    // Shown while paused too, as Temporal's scheduler does: the times the spec gives, taken once unpaused.
    ScheduleTimes times = new ScheduleTimes(state.schedule.getSpec());
    long limit = state.schedule.getState().getLimitedActions() ? state.schedule.getState().getRemainingActions() : FUTURE_ACTIONS;
    for (long nominal : times.between(Math.max(now, state.processedUntilMillis), Long.MAX_VALUE, (int) Math.min(FUTURE_ACTIONS, limit))) {
      info.addFutureActionTimes(Timestamps.fromMillis(times.withJitter(state.scheduleId, nominal)));
    }
    return info.build();
  }

  private static ByteString token(long conflictToken) {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(conflictToken).array());
  }

  private static Payload jsonPayload(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }

  /** The schedule id in a started workflow's TemporalScheduledById search attribute, or null. */
  private static String scheduleIdOf(SearchAttributes searchAttributes) {
    if (searchAttributes == null || !searchAttributes.containsIndexedFields(SCHEDULED_BY_ID)) {
      return null;
    }
    String json = searchAttributes.getIndexedFieldsOrThrow(SCHEDULED_BY_ID).getData().toStringUtf8();
    return json.length() >= 2 && json.startsWith("\"") ? json.substring(1, json.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\")
        : json;
  }
}
