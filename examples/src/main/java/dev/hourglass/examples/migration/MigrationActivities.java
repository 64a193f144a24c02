package dev.hourglass.examples.migration;

import io.temporal.activity.ActivityInterface;
import java.util.List;

@ActivityInterface
public interface MigrationActivities {
  /** Ids of the records from {@code offset}, at most {@code limit}; empty at the end. */
  List<String> readBatch(int offset, int limit);

  /** Copies one record to the new store; idempotent, so a retry is harmless. */
  void migrateRecord(String recordId);
}
