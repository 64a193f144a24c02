package dev.hourglass.examples.migration;

/** How far a migration got; carried from one run to the next across continue-as-new. */
public record MigrationProgress(int offset, int migrated, int failed, int runs, String state) {
  public static MigrationProgress start() {
    return new MigrationProgress(0, 0, 0, 1, "running");
  }

  MigrationProgress withBatch(int size, int batchMigrated, int batchFailed) {
    return new MigrationProgress(offset + size, migrated + batchMigrated, failed + batchFailed, runs, state);
  }

  MigrationProgress nextRun() {
    return new MigrationProgress(offset, migrated, failed, runs + 1, state);
  }

  MigrationProgress finished(String finalState) {
    return new MigrationProgress(offset, migrated, failed, runs, finalState);
  }
}
