package dev.hourglass.examples.migration;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A stand-in for the old and new stores: {@code total} records, of which every 17th is corrupt and
 * fails without retry (it shows up as a failed record, not as a stuck migration).
 */
public final class SampleRecords implements MigrationActivities {
  private final int total;
  private final Duration perRecord;
  private final Set<String> migrated = ConcurrentHashMap.newKeySet();

  public SampleRecords(int total, Duration perRecord) {
    this.total = total;
    this.perRecord = perRecord;
  }

  @Override
  public List<String> readBatch(int offset, int limit) {
    return IntStream.range(offset, Math.min(total, offset + limit)).mapToObj(i -> String.format("user-%05d", i + 1)).toList();
  }

  @Override
  public void migrateRecord(String recordId) {
    if (Integer.parseInt(recordId.substring("user-".length())) % 17 == 0) {
      throw ApplicationFailure.newNonRetryableFailure("record " + recordId + " is corrupt", "CorruptRecord");
    }
    try {
      Thread.sleep(perRecord.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    migrated.add(recordId);
  }

  /** Records copied to the new store. */
  public Set<String> migrated() {
    return Set.copyOf(migrated);
  }
}
