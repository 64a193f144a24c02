package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.HistoryBatch;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads history for GetWorkflowExecutionHistory and for workflow task poll responses, including
 * the long poll for new events or for the close event ({@code WorkflowStub.getResult}).
 *
 * <p>Only committed events are read: the bound is the next event id of the cached state, which
 * changes only after a commit. Page tokens are the next event id to read (8 bytes).
 */
final class HistoryReader {
  /** Temporal's history long-poll interval: an open workflow is answered empty after this. */
  static final long LONG_POLL_MILLIS = 20_000;
  static final int DEFAULT_PAGE_SIZE = 1_000;
  private static final int BATCHES_PER_READ = 200;

  /** What a read needs of the execution, taken under its lock. */
  record Snapshot(long nextEventId, boolean running, long closeEventId, List<HistoryEvent> transientEvents) {}

  private final ExecutionStore store;
  private final ExecutionUpdater updater;
  private final HistoryWatchers watchers;
  private final ScheduledExecutorService scheduler;

  HistoryReader(ExecutionStore store, ExecutionUpdater updater, HistoryWatchers watchers, ScheduledExecutorService scheduler) {
    this.store = requireNonNull(store, "store is null");
    this.updater = requireNonNull(updater, "updater is null");
    this.watchers = requireNonNull(watchers, "watchers is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  Snapshot snapshot(ExecutionKey key) {
    return updater.read(key, state -> new Snapshot(state.nextEventId, state.running(), state.closeEventId,
        state.workflowTask == null ? List.of() : WorkflowTasks.transientEvents(state, state.workflowTask)));
  }

  /** Committed events {@code fromEventId..toEventId} (inclusive): from memory when cached, else the store. */
  List<HistoryEvent> readEvents(ExecutionKey key, long fromEventId, long toEventId, int maxEvents) {
    if (toEventId - fromEventId < maxEvents) {
      List<HistoryEvent> recent = updater.recentEvents(key, fromEventId, toEventId);
      if (recent != null) {
        return recent;
      }
    }
    List<HistoryEvent> events = new ArrayList<>();
    long next = fromEventId;
    while (next <= toEventId && events.size() < maxEvents) {
      List<HistoryBatch> batches = store.readHistory(key, next, BATCHES_PER_READ);
      if (batches.isEmpty()) {
        break;
      }
      for (HistoryBatch batch : batches) {
        for (HistoryEvent event : parse(batch).getEventsList()) {
          if (event.getEventId() >= next && event.getEventId() <= toEventId && events.size() < maxEvents) {
            events.add(event);
            next = event.getEventId() + 1;
          }
        }
      }
      if (batches.size() < BATCHES_PER_READ) {
        break;
      }
    }
    return events;
  }

  /**
   * @param clientFollowsNextRunId whether the client follows {@code new_execution_run_id} of
   *     completed, failed and timed-out close events (Temporal's "follows-next-run-id" feature)
   */
  CompletableFuture<GetWorkflowExecutionHistoryResponse> getHistory(ExecutionKey key, ByteString pageToken, int maximumPageSize,
      boolean waitNewEvent, HistoryEventFilterType filter, boolean clientFollowsNextRunId) {
    int pageSize = maximumPageSize <= 0 ? DEFAULT_PAGE_SIZE : maximumPageSize;
    long from = pageToken.isEmpty() ? 1 : decodeToken(pageToken);
    if (filter == HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT) {
      return closeEvent(key, waitNewEvent, clientFollowsNextRunId);
    }
    Snapshot snapshot = snapshot(key);
    if (!waitNewEvent || from < snapshot.nextEventId() || !snapshot.running()) {
      return CompletableFuture.completedFuture(page(key, snapshot, from, pageSize, waitNewEvent));
    }
    return awaitChange(key, () -> {
      Snapshot now = snapshot(key);
      return from < now.nextEventId() || !now.running() ? page(key, now, from, pageSize, true) : null;
    }, () -> GetWorkflowExecutionHistoryResponse.newBuilder().setNextPageToken(encodeToken(from)).build());
  }

  private GetWorkflowExecutionHistoryResponse page(ExecutionKey key, Snapshot snapshot, long from, int pageSize, boolean follow) {
    long last = snapshot.nextEventId() - 1;
    List<HistoryEvent> events = readEvents(key, from, last, pageSize);
    GetWorkflowExecutionHistoryResponse.Builder response = GetWorkflowExecutionHistoryResponse.newBuilder();
    long nextFrom = events.isEmpty() ? from : events.get(events.size() - 1).getEventId() + 1;
    boolean complete = nextFrom > last;
    if (complete && !follow) {
      // A worker reading a running workflow's history also sees a transient workflow task.
      events = new ArrayList<>(events);
      events.addAll(snapshot.transientEvents());
    }
    response.setHistory(History.newBuilder().addAllEvents(events));
    if (!complete || (follow && snapshot.running())) {
      response.setNextPageToken(encodeToken(nextFrom));
    }
    return response.build();
  }

  private CompletableFuture<GetWorkflowExecutionHistoryResponse> closeEvent(ExecutionKey key, boolean wait, boolean followsNextRunId) {
    Snapshot snapshot = snapshot(key);
    if (!snapshot.running()) {
      return CompletableFuture.completedFuture(closeEventResponse(key, snapshot, followsNextRunId));
    }
    if (!wait) {
      return CompletableFuture.completedFuture(GetWorkflowExecutionHistoryResponse.getDefaultInstance());
    }
    return awaitChange(key, () -> {
      Snapshot now = snapshot(key);
      return now.running() ? null : closeEventResponse(key, now, followsNextRunId);
    }, () -> GetWorkflowExecutionHistoryResponse.newBuilder().setNextPageToken(encodeToken(1)).build());
  }

  private GetWorkflowExecutionHistoryResponse closeEventResponse(ExecutionKey key, Snapshot snapshot, boolean followsNextRunId) {
    List<HistoryEvent> events = readEvents(key, snapshot.closeEventId(), snapshot.closeEventId(), 1);
    GetWorkflowExecutionHistoryResponse response =
        GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(History.newBuilder().addAllEvents(events)).build();
    return followsNextRunId ? response : ChainedCloseEvents.asContinuedAsNew(response);
  }

  /**
   * Long poll: answers with {@code check}'s result once it has one (checked now and after each
   * commit that appends events), or with {@code onTimeout} after {@link #LONG_POLL_MILLIS}.
   */
  private CompletableFuture<GetWorkflowExecutionHistoryResponse> awaitChange(ExecutionKey key,
      java.util.function.Supplier<GetWorkflowExecutionHistoryResponse> check,
      java.util.function.Supplier<GetWorkflowExecutionHistoryResponse> onTimeout) {
    CompletableFuture<GetWorkflowExecutionHistoryResponse> result = new CompletableFuture<>();
    Runnable[] watcher = new Runnable[1];
    watcher[0] = () -> scheduler.execute(() -> {
      if (result.isDone()) {
        return;
      }
      try {
        // Watch again before checking: a commit right after the check must still wake us.
        watchers.watch(key, watcher[0]);
        GetWorkflowExecutionHistoryResponse response = check.get();
        if (response != null) {
          result.complete(response);
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    // Register before checking, so a commit between the check and the registration is not missed.
    watchers.watch(key, watcher[0]);
    GetWorkflowExecutionHistoryResponse immediate = check.get();
    if (immediate != null) {
      watchers.remove(key, watcher[0]);
      result.complete(immediate);
      return result;
    }
    var timeout = scheduler.schedule(() -> {
      watchers.remove(key, watcher[0]);
      result.complete(onTimeout.get());
    }, LONG_POLL_MILLIS, TimeUnit.MILLISECONDS);
    result.whenComplete((response, error) -> {
      timeout.cancel(false);
      watchers.remove(key, watcher[0]);
    });
    return result;
  }

  static ByteString encodeToken(long nextEventId) {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(nextEventId).array());
  }

  static long decodeToken(ByteString token) {
    if (token.size() != Long.BYTES) {
      throw new InvalidArgumentException("Invalid NextPageToken.");
    }
    long next = token.asReadOnlyByteBuffer().getLong();
    if (next < 1) {
      throw new InvalidArgumentException("Invalid NextPageToken.");
    }
    return next;
  }

  private static History parse(HistoryBatch batch) {
    try {
      return History.parseFrom(batch.events());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt history batch from event " + batch.firstEventId(), e);
    }
  }
}
