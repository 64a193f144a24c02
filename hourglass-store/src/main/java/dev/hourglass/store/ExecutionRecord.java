package dev.hourglass.store;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.ExecutionKey;

/**
 * One workflow run as stored: the engine's serialized mutable state plus the few columns that
 * are read without decoding it (status, type, times: what listing and retention need).
 *
 * @param dbVersion incremented by every write; a write names the version it was computed from
 * @param status Temporal's {@code WorkflowExecutionStatus} number
 * @param state the engine's encoding of its mutable state; opaque to the store
 */
public record ExecutionRecord(
    ExecutionKey key,
    int shardId,
    long dbVersion,
    int status,
    String workflowType,
    String taskQueue,
    long startTimeMillis,
    long closeTimeMillis,
    long nextEventId,
    byte[] state) {
  public ExecutionRecord {
    requireNonNull(key, "key is null");
    requireNonNull(workflowType, "workflowType is null");
    requireNonNull(taskQueue, "taskQueue is null");
    requireNonNull(state, "state is null");
  }
}
