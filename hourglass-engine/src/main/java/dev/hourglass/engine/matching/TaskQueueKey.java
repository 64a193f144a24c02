package dev.hourglass.engine.matching;

import static java.util.Objects.requireNonNull;

import dev.hourglass.store.TaskKind;

/** One task queue: a name holds a workflow queue, an activity queue and a Nexus queue. */
public record TaskQueueKey(String namespaceId, String name, TaskKind kind) {
  public TaskQueueKey {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
  }
}
