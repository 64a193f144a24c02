package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Timestamps;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.engine.shard.ShardContext;
import dev.hourglass.engine.visibility.VisibilityRecords;
import dev.hourglass.store.CurrentExecution;
import dev.hourglass.store.CurrentExecutionWrite;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionWrite;
import dev.hourglass.store.HistoryBatch;
import dev.hourglass.store.NewRunWrite;
import dev.hourglass.store.TaskKey;
import dev.hourglass.store.TaskKind;
import dev.hourglass.store.TaskRecord;
import dev.hourglass.store.TimerRecord;
import dev.hourglass.store.VisibilityRecord;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One state change of one execution being built: the events appended, the tasks and timers
 * created and deleted. It changes the {@link MutableState} in place and collects what the store
 * must write; {@link #toWrite} turns it into the single transaction, and after the commit the
 * engine announces the new tasks and timers ({@link #newTasks}, {@link #newTimers}).
 *
 * <p>If anything fails before the commit returns, the caller drops the in-memory state (the cache
 * reloads it from the store), so a half-applied change is never seen.
 */
final class ExecutionMutation {
  private final MutableState state;
  private final ShardContext shard;
  private final long nowMillis;
  private final List<HistoryEvent> newEvents = new ArrayList<>();
  private final List<TaskRecord> newTasks = new ArrayList<>();
  private final List<TaskKey> deletedTasks = new ArrayList<>();
  private final List<TimerRecord> newTimers = new ArrayList<>();
  private final List<Long> deletedTimers = new ArrayList<>();
  private Optional<CurrentExecutionWrite> current = Optional.empty();
  private boolean stateChanged;
  /** In-memory effects that may happen only once this change is durable (callers told of a rejected update). */
  private final List<Runnable> afterCommit = new ArrayList<>();
  /** Whether this change closed the run (its close event is among the new events). */
  private boolean closesRun;
  /** Whether what is listed of the run changed (start, close, search attributes, memo): its visibility row is rewritten. */
  private boolean visibilityChanged;
  /** The run this change starts (continue-as-new, retry, cron, terminate-existing), written in the same transaction. */
  private ExecutionMutation newRun;
  /** Whether {@link #newRun} continues this run's chain (false: it replaces a terminated run, TERMINATE_EXISTING). */
  private boolean newRunContinuesChain;

  /**
   * Starts building the next run of this run's chain (continue-as-new, retry, cron), to be
   * committed with this change.
   */
  ExecutionMutation startNewRun(MutableState newState) {
    return startRun(newState, true);
  }

  /**
   * Starts building a run of the same workflow id that does not continue this run (it replaces a
   * run terminated by TERMINATE_EXISTING), to be committed with this change.
   */
  ExecutionMutation startUnrelatedRun(MutableState newState) {
    return startRun(newState, false);
  }

  private ExecutionMutation startRun(MutableState newState, boolean continuesChain) {
    if (newRun != null) {
      throw new IllegalStateException("a change starts at most one new run");
    }
    newRun = new ExecutionMutation(newState, shard, nowMillis);
    newRunContinuesChain = continuesChain;
    return newRun;
  }

  /** The new run started by this change, or null. */
  ExecutionMutation newRun() {
    return newRun;
  }

  /** Whether this change starts a run that continues this one's chain: the chain goes on, nobody waits for its end yet. */
  boolean continuesChain() {
    return newRun != null && newRunContinuesChain;
  }

  ExecutionMutation(MutableState state, ShardContext shard, long nowMillis) {
    this.state = requireNonNull(state, "state is null");
    this.shard = requireNonNull(shard, "shard is null");
    this.nowMillis = nowMillis;
  }

  MutableState state() {
    return state;
  }

  long nowMillis() {
    return nowMillis;
  }

  ExecutionKey executionKey() {
    return new ExecutionKey(state.namespaceId, state.workflowId, state.runId);
  }

  /** Runs {@code action} after this change commits (under the execution's lock); never if it fails. */
  void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  void runAfterCommit() {
    afterCommit.forEach(Runnable::run);
    // The run this change starts is committed in the same write.
    if (newRun != null) {
      newRun.runAfterCommit();
    }
  }

  /** Marks a change of the mutable state that appends no event (a heartbeat, an attempt started). */
  void touch() {
    stateChanged = true;
  }

  boolean isEmpty() {
    return !stateChanged && newEvents.isEmpty() && newTasks.isEmpty() && deletedTasks.isEmpty()
        && newTimers.isEmpty() && deletedTimers.isEmpty() && current.isEmpty();
  }

  /** Appends an event to history now, with the next event id. */
  HistoryEvent append(EventType type, Consumer<HistoryEvent.Builder> attributes) {
    HistoryEvent.Builder builder = HistoryEvent.newBuilder()
        .setEventId(state.nextEventId)
        .setEventTime(Timestamps.fromMillis(nowMillis))
        .setEventType(type);
    attributes.accept(builder);
    return appendBuilt(builder);
  }

  /** What is listed of the run changed without an event saying so (a schedule's state): its visibility row is rewritten. */
  void visibilityChanged() {
    visibilityChanged = true;
    stateChanged = true;
  }

  /** Appends an event built elsewhere (a buffered one): gives it the next event id. */
  HistoryEvent appendBuilt(HistoryEvent.Builder builder) {
    builder.setEventId(state.nextEventId).setTaskId(state.nextEventId);
    HistoryEvent event = builder.build();
    state.nextEventId++;
    state.historySizeBytes += event.getSerializedSize();
    newEvents.add(event);
    stateChanged = true;
    if (VisibilityRecords.changesVisibility(event.getEventType())) {
      visibilityChanged = true;
    }
    return event;
  }

  /**
   * Gives the event appended at {@code index} of this change the summary and details of the
   * command that caused it ({@code Command.user_metadata}), as Temporal copies them to the event.
   */
  void attachUserMetadata(int index, io.temporal.api.sdk.v1.UserMetadata metadata) {
    if (index >= newEvents.size()) {
      return;
    }
    HistoryEvent before = newEvents.get(index);
    HistoryEvent after = before.toBuilder().setUserMetadata(metadata).build();
    newEvents.set(index, after);
    state.historySizeBytes += after.getSerializedSize() - before.getSerializedSize();
  }

  /** Builds an event without an id, to be appended later (buffered while a workflow task runs). */
  HistoryEvent.Builder unnumbered(EventType type, Consumer<HistoryEvent.Builder> attributes) {
    HistoryEvent.Builder builder = HistoryEvent.newBuilder()
        .setEventTime(Timestamps.fromMillis(nowMillis))
        .setEventType(type);
    attributes.accept(builder);
    return builder;
  }

  List<HistoryEvent> newEvents() {
    return newEvents;
  }

  /** Adds a backlog task; returns its id, which identifies this scheduling of the task. */
  long addTask(String taskQueue, TaskKind kind, long scheduledEventId) {
    return addTask(state.namespaceId, taskQueue, kind, scheduledEventId);
  }

  /** A task in a queue of another namespace (a Nexus operation's request in its endpoint's namespace). */
  long addTask(String queueNamespaceId, String taskQueue, TaskKind kind, long scheduledEventId) {
    long taskId = shard.nextId();
    newTasks.add(new TaskRecord(taskQueue, kind, taskId, executionKey(), scheduledEventId, nowMillis, queueNamespaceId));
    return taskId;
  }

  /** Takes back a task this change added: started in the same change (eager start), it never reaches the backlog. */
  void withdrawNewTask(long taskId) {
    newTasks.removeIf(task -> task.taskId() == taskId);
  }

  void deleteTask(String taskQueue, TaskKind kind, long taskId) {
    deleteTask(state.namespaceId, taskQueue, kind, taskId);
  }

  void deleteTask(String queueNamespaceId, String taskQueue, TaskKind kind, long taskId) {
    if (taskId != 0) {
      deletedTasks.add(new TaskKey(queueNamespaceId, taskQueue, kind, taskId));
    }
  }

  /** Adds a durable timer; returns its row id, to delete it when what it guards is over. */
  long addTimer(long fireTimeMillis, TimerKind kind, long eventId, int attempt, String name) {
    long timerId = shard.nextId();
    newTimers.add(new TimerRecord(shard.shardId(), timerId, fireTimeMillis, executionKey(), kind.code(), eventId, attempt, name));
    return timerId;
  }

  /**
   * Adds a transfer task: work on another execution that must happen because of this change
   * (start a child, tell a parent, deliver a signal). It is a timer row due now, so it commits
   * with this change and is retried until done, across crashes.
   */
  long addTransfer(TimerKind kind, long eventId) {
    return addTimer(nowMillis, kind, eventId, 0, "");
  }

  void markClosesRun() {
    closesRun = true;
  }

  boolean closesRun() {
    return closesRun;
  }

  void deleteTimer(long timerId) {
    if (timerId != 0) {
      deletedTimers.add(timerId);
    }
  }

  void setCurrent(CurrentExecution row, Optional<String> expectedRunId) {
    current = Optional.of(new CurrentExecutionWrite(row, expectedRunId));
  }

  List<TaskRecord> newTasks() {
    return newTasks;
  }

  List<TimerRecord> newTimers() {
    return newTimers;
  }

  List<Long> deletedTimers() {
    return deletedTimers;
  }

  /** The transaction: this change, and the new run it starts if any (encoded with {@code encoder}). */
  ExecutionWrite toWrite(long expectedDbVersion, java.util.function.Function<MutableState, byte[]> encoder) {
    Optional<NewRunWrite> run = Optional.empty();
    List<VisibilityRecord> visibility = new ArrayList<>();
    if (visibilityChanged) {
      visibility.add(visibilityRecord());
    }
    if (newRun != null) {
      run = Optional.of(new NewRunWrite(newRun.record(1, encoder.apply(newRun.state)), newRun.historyBatches(), newRun.newTasks,
          newRun.newTimers));
      if (newRun.visibilityChanged) {
        visibility.add(newRun.visibilityRecord());
      }
    }
    return new ExecutionWrite(shard.rangeId(), record(expectedDbVersion + 1, encoder.apply(state)), expectedDbVersion, current,
        historyBatches(), newTasks, deletedTasks, newTimers, deletedTimers, run, visibility);
  }

  private VisibilityRecord visibilityRecord() {
    return VisibilityRecords.build(executionKey(), state.startedAttributes, state.status, state.startTimeMillis, state.closeTimeMillis,
        state.nextEventId - 1, state.historySizeBytes, state.memo, state.searchAttributes);
  }

  private ExecutionRecord record(long dbVersion, byte[] encodedState) {
    return new ExecutionRecord(executionKey(), shard.shardId(), dbVersion, state.status, state.workflowType(), state.taskQueue(),
        state.startTimeMillis, state.closeTimeMillis, state.nextEventId, encodedState);
  }

  private List<HistoryBatch> historyBatches() {
    return newEvents.isEmpty()
        ? List.of()
        : List.of(new HistoryBatch(newEvents.get(0).getEventId(), newEvents.get(newEvents.size() - 1).getEventId(),
            History.newBuilder().addAllEvents(newEvents).build().toByteArray()));
  }
}
