package dev.hourglass.common;

import static java.util.Objects.requireNonNull;

/** A workflow id within a namespace: all runs of one workflow share it. */
public record WorkflowKey(String namespaceId, String workflowId) {
  public WorkflowKey {
    requireNonNull(namespaceId, "namespaceId is null");
    requireNonNull(workflowId, "workflowId is null");
  }

  /** The shard that owns every run of this workflow: stable for the life of a database. */
  public int shardId(int shardCount) {
    // Temporal hashes namespace id and workflow id together; any stable hash does as long as it
    // never changes for an existing database, so String.hashCode (specified by the JLS) is used.
    int hash = 31 * namespaceId.hashCode() + workflowId.hashCode();
    return Math.floorMod(hash, shardCount);
  }
}
