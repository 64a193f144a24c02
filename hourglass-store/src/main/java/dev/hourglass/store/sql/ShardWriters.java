package dev.hourglass.store.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The group-commit writers of one database, each owning the writes of a fixed set of shards
 * ({@code shardId mod writers}). SQLite has one (it allows one writer at a time); PostgreSQL has
 * several, because there a batch's time is mostly round trips to the server, which separate
 * connections overlap (see docs/performance.md). Writes of one shard always go to the same
 * writer, so they commit in the order they were submitted, as with a single writer.
 */
final class ShardWriters implements AutoCloseable {
  private final List<GroupCommitWriter> writers;

  ShardWriters(List<GroupCommitWriter> writers) {
    this.writers = List.copyOf(requireNonNull(writers, "writers is null"));
    if (this.writers.isEmpty()) {
      throw new IllegalArgumentException("at least one writer is needed");
    }
  }

  /** A write of (the executions, timers, backlog tasks or lease of) one shard. */
  CompletableFuture<Void> submit(int shardId, WriteOperation operation) {
    return writers.get(Math.floorMod(shardId, writers.size())).submit(operation);
  }

  /** A write that belongs to no shard (namespaces, the shard count). */
  CompletableFuture<Void> submit(WriteOperation operation) {
    return writers.get(0).submit(operation);
  }

  /** Commits what was submitted to each writer, then stops them. */
  @Override
  public void close() {
    writers.forEach(GroupCommitWriter::close);
  }
}
