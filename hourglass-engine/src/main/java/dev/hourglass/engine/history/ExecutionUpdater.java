package dev.hourglass.engine.history;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hourglass.common.ConditionFailedException;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.NotFoundException;
import dev.hourglass.common.UnavailableException;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.engine.shard.ShardContext;
import dev.hourglass.engine.shard.ShardController;
import dev.hourglass.store.ExecutionRecord;
import dev.hourglass.store.ExecutionStore;
import dev.hourglass.store.TimerRecord;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The one path by which an execution changes: load (from cache or store), lock, mutate, commit,
 * then announce what the commit created. Written once so that every RPC and timer gets the same
 * guarantees:
 *
 * <ul>
 *   <li>one change at a time per execution (the entry lock), checked against the store version;
 *   <li>a change is acknowledged (the function returns) only after its transaction committed;
 *   <li>new tasks reach matching and new timers reach the timer queue only after the commit, so
 *       nothing is dispatched that could still roll back;
 *   <li>a change that fails leaves nothing in memory: the entry is dropped and reloaded.
 * </ul>
 *
 * <p>The lock is held across the commit (a few milliseconds with group commit) but never across
 * a network call to a client or a long poll.
 */
final class ExecutionUpdater {
  /** Cached executions; beyond this, least recently used ones are reloaded from the store on use. */
  private static final int MAX_CACHED_EXECUTIONS = 20_000;
  private static final int MAX_CONFLICT_RETRIES = 3;

  private final ExecutionStore store;
  private final ShardController shards;
  private final Clock clock;
  private final MutableStateCodec codec = new MutableStateCodec();
  private final Cache<ExecutionKey, ExecutionEntry> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED_EXECUTIONS).build();
  private final HistoryWatchers watchers;
  private MatchingEngine matching;
  /** Told of every commit while the execution is still locked (queries waiting for a workflow task). */
  private java.util.function.Consumer<ExecutionMutation> commitListener = mutation -> { };
  /** Sees every change before it is committed, to add what a closing run owes others (parent, children). */
  private java.util.function.Consumer<ExecutionMutation> beforeCommit = mutation -> { };

  ExecutionUpdater(ExecutionStore store, ShardController shards, Clock clock, HistoryWatchers watchers) {
    this.store = requireNonNull(store, "store is null");
    this.shards = requireNonNull(shards, "shards is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.watchers = requireNonNull(watchers, "watchers is null");
  }

  /** Matching and history refer to each other (tasks one way, task starts the other). */
  void setMatching(MatchingEngine matching) {
    this.matching = requireNonNull(matching, "matching is null");
  }

  void setCommitListener(java.util.function.Consumer<ExecutionMutation> listener) {
    this.commitListener = requireNonNull(listener, "listener is null");
  }

  void setBeforeCommit(java.util.function.Consumer<ExecutionMutation> hook) {
    this.beforeCommit = requireNonNull(hook, "hook is null");
  }

  Clock clock() {
    return clock;
  }

  /** Applies {@code change} to an existing execution and commits it; returns what it returned. */
  <T> T update(ExecutionKey key, Function<ExecutionMutation, T> change) {
    for (int attempt = 0; ; attempt++) {
      ExecutionEntry entry = cache.get(key, k -> new ExecutionEntry());
      ExecutionMutation mutation;
      T result;
      entry.lock.lock();
      try {
        if (entry.state == null) {
          load(key, entry);
        }
        mutation = new ExecutionMutation(entry.state, shardOf(key), clock.millis());
        result = applyAndCommit(entry, mutation, change, entry.dbVersion);
      } catch (ConditionFailedException e) {
        if (attempt < MAX_CONFLICT_RETRIES) {
          continue;
        }
        throw new UnavailableException("the execution changed concurrently too often; retry");
      } finally {
        entry.lock.unlock();
      }
      publish(mutation);
      return result;
    }
  }

  /**
   * Creates a new execution with {@code state} (already holding its identity) and commits the
   * change; fails with {@link ConditionFailedException} if the run or current-run row moved.
   */
  <T> T create(MutableState state, Function<ExecutionMutation, T> change) {
    ExecutionKey key = new ExecutionKey(state.namespaceId, state.workflowId, state.runId);
    ExecutionEntry entry = new ExecutionEntry();
    ExecutionMutation mutation;
    T result;
    entry.lock.lock();
    try {
      entry.state = state;
      mutation = new ExecutionMutation(state, shardOf(key), clock.millis());
      // In the cache before the commit, locked: whoever learns of the run from the store (a backlog
      // or timer read) waits for this entry instead of loading a copy that this one would replace.
      cache.put(key, entry);
      try {
        result = applyAndCommit(entry, mutation, change, 0);
      } catch (RuntimeException e) {
        cache.asMap().remove(key, entry);
        throw e;
      }
    } finally {
      entry.lock.unlock();
    }
    publish(mutation);
    return result;
  }

  /** Reads the execution under its lock without changing it. */
  <T> T read(ExecutionKey key, Function<MutableState, T> reader) {
    ExecutionEntry entry = cache.get(key, k -> new ExecutionEntry());
    entry.lock.lock();
    try {
      if (entry.state == null) {
        load(key, entry);
      }
      return reader.apply(entry.state);
    } finally {
      entry.lock.unlock();
    }
  }

  /** {@link #read}, or null when the execution does not exist. */
  <T> T readIfExists(ExecutionKey key, Function<MutableState, T> reader) {
    try {
      return read(key, reader);
    } catch (NotFoundException e) {
      return null;
    }
  }

  /** Whether the execution exists (in the cache or the store). */
  boolean exists(ExecutionKey key) {
    return readIfExists(key, state -> Boolean.TRUE) != null;
  }

  /** {@link #update} of an execution that may be gone (deleted): then there is nothing to change. */
  void updateIfExists(ExecutionKey key, java.util.function.Consumer<ExecutionMutation> change) {
    try {
      update(key, mutation -> {
        change.accept(mutation);
        return null;
      });
    } catch (NotFoundException e) {
      // the execution is gone: nothing to record there
    }
  }

  /**
   * Deletes a closed run from the store and the cache (retention), under its lock so no change
   * is applied to it meanwhile. Returns false when the run is open or already gone.
   */
  boolean deleteClosed(ExecutionKey key) {
    ExecutionEntry entry = cache.get(key, k -> new ExecutionEntry());
    entry.lock.lock();
    try {
      if (entry.state == null) {
        try {
          load(key, entry);
        } catch (NotFoundException e) {
          cache.invalidate(key);
          return false;
        }
      }
      if (entry.state.running()) {
        return false;
      }
      ShardContext shard = shardOf(key);
      try {
        store.deleteClosedRun(shard.rangeId(), shard.shardId(), key).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      } finally {
        // Whatever the outcome, the store decides what exists: reload on next use.
        entry.invalidate();
        cache.invalidate(key);
      }
      return true;
    } finally {
      entry.lock.unlock();
    }
  }

  /** Committed events {@code from..to} of a cached execution, if held in memory; null otherwise. */
  java.util.List<io.temporal.api.history.v1.HistoryEvent> recentEvents(ExecutionKey key, long from, long to) {
    ExecutionEntry entry = cache.getIfPresent(key);
    if (entry == null) {
      return null;
    }
    entry.lock.lock();
    try {
      return entry.state == null ? null : entry.recent(from, to);
    } finally {
      entry.lock.unlock();
    }
  }

  private <T> T applyAndCommit(ExecutionEntry entry, ExecutionMutation mutation, Function<ExecutionMutation, T> change,
      long expectedDbVersion) {
    T result;
    try {
      result = change.apply(mutation);
      beforeCommit.accept(mutation);
    } catch (RuntimeException e) {
      // The change may have touched the state before failing: drop it, the store has the truth.
      entry.invalidate();
      throw e;
    }
    if (mutation.isEmpty()) {
      mutation.runAfterCommit();
      return result;
    }
    // The run this change starts (continue-as-new, retry, cron) is cached, locked, before the
    // commit, as in create: its tasks and timers may be read from the store before they are published.
    ExecutionMutation newRun = mutation.newRun();
    ExecutionEntry newEntry = newRun == null ? null : new ExecutionEntry();
    if (newEntry != null) {
      newEntry.lock.lock();
      newEntry.state = newRun.state();
      cache.put(newRun.executionKey(), newEntry);
    }
    try {
      store.write(mutation.toWrite(expectedDbVersion, codec::encode)).join();
      if (newEntry != null) {
        newEntry.dbVersion = 1;
        newEntry.appendCommitted(newRun.newEvents());
      }
    } catch (CompletionException e) {
      forget(entry, newRun, newEntry);
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    } catch (RuntimeException e) {
      forget(entry, newRun, newEntry);
      throw e;
    } finally {
      if (newEntry != null) {
        newEntry.lock.unlock();
      }
    }
    entry.dbVersion = expectedDbVersion + 1;
    entry.appendCommitted(mutation.newEvents());
    mutation.runAfterCommit();
    commitListener.accept(mutation);
    return result;
  }

  /** A commit failed: the state in memory is not the store's, nor is the new run it meant to start. */
  private void forget(ExecutionEntry entry, ExecutionMutation newRun, ExecutionEntry newEntry) {
    entry.invalidate();
    if (newEntry != null) {
      newEntry.invalidate();
      cache.asMap().remove(newRun.executionKey(), newEntry);
    }
  }

  private void load(ExecutionKey key, ExecutionEntry entry) {
    ExecutionRecord record = store.getExecution(key)
        .orElseThrow(() -> new NotFoundException("workflow execution not found: WorkflowId " + key.workflowId()
            + ", RunId " + key.runId()));
    entry.state = codec.decode(record.state());
    entry.dbVersion = record.dbVersion();
  }

  private ShardContext shardOf(ExecutionKey key) {
    return shards.shardFor(key.workflowKey());
  }

  /** After the commit: hand out what it created, drop timers it deleted, wake history watchers. */
  private void publish(ExecutionMutation mutation) {
    if (mutation.isEmpty()) {
      return;
    }
    if (mutation.newRun() != null) {
      publish(mutation.newRun());
    }
    ShardContext shard = shardOf(mutation.executionKey());
    for (long timerId : mutation.deletedTimers()) {
      shard.timerQueue().cancel(timerId);
    }
    for (TimerRecord timer : mutation.newTimers()) {
      shard.timerQueue().add(timer);
    }
    mutation.newTasks().forEach(matching::addTask);
    if (!mutation.newEvents().isEmpty()) {
      watchers.notifyChanged(mutation.executionKey());
    }
  }
}
