package dev.hourglass.server;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.engine.history.HistoryEngine;
import dev.hourglass.engine.matching.BacklogFencing;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.nexus.NexusEndpointRegistry;
import dev.hourglass.engine.shard.ShardContext;
import dev.hourglass.engine.shard.ShardController;
import dev.hourglass.engine.timer.TimerQueueConfig;
import dev.hourglass.engine.timer.TimerTarget;
import dev.hourglass.engine.visibility.RetentionSweeper;
import dev.hourglass.engine.visibility.SearchAttributeRegistry;
import dev.hourglass.engine.visibility.VisibilityService;
import dev.hourglass.server.api.ClientFeatures;
import dev.hourglass.server.api.MessageSizeLimit;
import dev.hourglass.server.api.OperatorService;
import dev.hourglass.server.api.WorkflowService;
import dev.hourglass.server.cluster.TermCalls;
import dev.hourglass.store.Stores;
import io.grpc.ServerInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine of one ownership term: history, matching, timer queues, caches and the gRPC services
 * over them, built when this process acquires the shards and closed when it loses them (or stops).
 * Nothing of it outlives the term: a process that wins the shards again builds a new one, which
 * reads everything from the store, as after a restart.
 */
public final class EngineInstance implements AutoCloseable {
  private final ShardController shards;
  private final MatchingEngine matching;
  private final TermCalls calls;
  private final Map<String, ServerMethodDefinition<?, ?>> methods;
  private final List<ExecutorService> executors;
  private final AtomicInteger closed = new AtomicInteger();

  private EngineInstance(ShardController shards, MatchingEngine matching, TermCalls calls, List<ServerServiceDefinition> services,
      List<ExecutorService> executors) {
    this.shards = shards;
    this.matching = matching;
    this.calls = calls;
    Map<String, ServerMethodDefinition<?, ?>> byName = new HashMap<>();
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        byName.put(method.getMethodDescriptor().getFullMethodName(), method);
      }
    }
    this.methods = Map.copyOf(byName);
    this.executors = executors;
  }

  /** Builds the engine over shards held under {@code rangeIds} and starts its timer queues. */
  public static EngineInstance start(Stores stores, ServerOptions options, Map<Integer, Long> rangeIds, Clock clock,
      MeterRegistry metrics) {
    requireNonNull(stores, "stores is null");
    requireNonNull(options, "options is null");
    List<ExecutorService> executors = new ArrayList<>();
    ShardController shards = null;
    try {
      // Task starts and timer fires each wait for a group commit (milliseconds): enough threads
      // to keep the writer's batches full, bounded so a burst queues instead of spawning.
      ExecutorService matchingExecutor = ServerThreads.pool("hourglass-matching", 64);
      ExecutorService timerExecutor = ServerThreads.pool("hourglass-timer-fire", 32);
      ScheduledThreadPoolExecutor scheduler = ServerThreads.scheduler("hourglass-scheduler", 2);
      // Retention deletes wait for commits: a thread of their own, never the shared scheduler's.
      ScheduledThreadPoolExecutor retention = ServerThreads.scheduler("hourglass-retention", 1);
      executors.addAll(List.of(matchingExecutor, timerExecutor, scheduler, retention));

      NamespaceRegistry namespaces = new NamespaceRegistry(stores.namespaces());
      namespaces.ensure(ServerOptions.DEFAULT_NAMESPACE);
      options.namespaces().forEach(namespaces::ensure);

      AtomicReference<HistoryEngine> historyRef = new AtomicReference<>();
      TimerTarget timerTarget = timer -> historyRef.get().fireTimer(timer);
      ShardController shardController =
          new ShardController(rangeIds, stores.timers(), clock, timerTarget, timerExecutor, TimerQueueConfig.defaults(), metrics);
      shards = shardController;
      MatchingEngine matching = new MatchingEngine(stores.tasks(), execution -> fence(shardController, execution), matchingExecutor,
          scheduler, clock, metrics);
      SearchAttributeRegistry searchAttributes = new SearchAttributeRegistry(stores.visibility());
      VisibilityService visibility = new VisibilityService(stores.visibility(), searchAttributes);
      NexusEndpointRegistry nexusEndpoints = new NexusEndpointRegistry(stores.nexusEndpoints(), namespaces, clock);
      HistoryEngine history = new HistoryEngine(stores.executions(), shards, matching, clock, scheduler, namespaces, searchAttributes,
          nexusEndpoints::byName);
      historyRef.set(history);
      shards.start();
      new RetentionSweeper(namespaces, stores.visibility(), history::deleteClosedRun, clock).start(retention);

      TermCalls calls = new TermCalls();
      List<ServerServiceDefinition> services = List.of(
          ServerInterceptors.intercept(new WorkflowService(namespaces, history, matching, visibility),
              new ClientFeatures(), new MessageSizeLimit(), calls),
          ServerInterceptors.intercept(new OperatorService(namespaces, searchAttributes, nexusEndpoints), calls));
      return new EngineInstance(shards, matching, calls, services, executors);
    } catch (RuntimeException e) {
      if (shards != null) {
        shards.close();
      }
      executors.forEach(ExecutorService::shutdownNow);
      throw e;
    }
  }

  private static BacklogFencing.Fence fence(ShardController shards, ExecutionKey execution) {
    ShardContext shard = shards.shardFor(execution.workflowKey());
    return new BacklogFencing.Fence(shard.shardId(), shard.rangeId());
  }

  /** After a store outage: timer queues and task queues read the store again (see {@code Database#onRecovery}). */
  public void rescan() {
    shards.rescanTimers();
    matching.rescanBacklogs();
  }

  /** The handler of a WorkflowService or OperatorService method, or null for another service. */
  public ServerMethodDefinition<?, ?> method(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  /**
   * Ends the term: no write is computed under its leases from now on, timer queues stop, calls
   * still open (long polls) are answered UNAVAILABLE so their clients retry elsewhere, and the
   * term's threads stop. Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndIncrement() > 0) {
      return;
    }
    shards.close();
    matching.close();
    calls.closeAll(Status.UNAVAILABLE.withDescription(
        "this Hourglass process no longer owns the shards; retry: another process takes them over"));
    ServerThreads.shutdown(executors);
  }
}
