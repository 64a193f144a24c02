package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

/** The store interfaces of one database, handed to the engine together. */
public record Stores(ExecutionStore executions, TaskStore tasks, TimerStore timers, NamespaceStore namespaces, ShardStore shards,
    VisibilityStore visibility, NexusEndpointStore nexusEndpoints) {
  public Stores {
    requireNonNull(executions, "executions is null");
    requireNonNull(tasks, "tasks is null");
    requireNonNull(timers, "timers is null");
    requireNonNull(namespaces, "namespaces is null");
    requireNonNull(shards, "shards is null");
    requireNonNull(visibility, "visibility is null");
    requireNonNull(nexusEndpoints, "nexusEndpoints is null");
  }
}
