package dev.hourglass.store;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.WorkflowKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Executions, their current-run pointers and their history. */
public interface ExecutionStore {
  Optional<ExecutionRecord> getExecution(ExecutionKey key);

  Optional<CurrentExecution> getCurrentExecution(WorkflowKey key);

  /**
   * Queues the write for the next group commit. The future completes once the write is durable,
   * or exceptionally with {@code ConditionFailedException} (the execution or current-run row is
   * not at the expected version), {@code ShardOwnershipLostException} (lease moved on), or the
   * store error. A failed write leaves nothing behind.
   */
  CompletableFuture<Void> write(ExecutionWrite write);

  /**
   * The current runs that are open, of workflow ids starting with {@code workflowIdPrefix} and
   * sorting after {@code afterWorkflowId}, in workflow id order (a page of internal executions such
   * as schedules; reads the current-run index, no scan).
   */
  List<CurrentExecution> listOpenCurrentExecutions(String namespaceId, String workflowIdPrefix, String afterWorkflowId, int limit);

  /**
   * Deletes a closed run (retention): its row, history, visibility row and values, and the
   * current-run row if it still names this run, in one transaction. A run that is still open, or
   * already gone, is left as it is. Fails with {@code ShardOwnershipLostException} when the shard's
   * lease moved on.
   */
  CompletableFuture<Void> deleteClosedRun(long rangeId, int shardId, ExecutionKey key);

  /** History batches whose events end at or after {@code fromEventId}, in event order. */
  List<HistoryBatch> readHistory(ExecutionKey key, long fromEventId, int maxBatches);
}
