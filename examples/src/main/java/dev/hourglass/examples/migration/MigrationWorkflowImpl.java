package dev.hourglass.examples.migration;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public final class MigrationWorkflowImpl implements MigrationWorkflow {
  private final MigrationActivities records = Workflow.newActivityStub(MigrationActivities.class, ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setMaximumAttempts(3).build())
      .build());

  private MigrationProgress progress = MigrationProgress.start();
  private boolean cancelRequested;

  @Override
  public MigrationProgress migrate(MigrationInput input) {
    progress = input.progress();
    for (int batch = 0; batch < input.batchesPerRun(); batch++) {
      List<String> ids = records.readBatch(progress.offset(), input.batchSize());
      if (ids.isEmpty()) {
        progress = progress.finished("done");
        return progress;
      }
      int migrated = 0;
      int failed = 0;
      int done = 0;
      for (String id : ids) {
        if (cancelRequested) {
          progress = progress.withBatch(done, migrated, failed).finished("cancelled");
          return progress;
        }
        try {
          records.migrateRecord(id);
          migrated++;
        } catch (ActivityFailure e) {
          // Retries exhausted or a non-retryable error: count it and go on with the next record.
          failed++;
        }
        done++;
      }
      progress = progress.withBatch(ids.size(), migrated, failed);
    }
    if (cancelRequested) {
      progress = progress.finished("cancelled");
      return progress;
    }
    // Hand over to a fresh run with the progress so far: its history starts empty again.
    Workflow.continueAsNew(new MigrationInput(input.batchSize(), input.batchesPerRun(), progress.nextRun()));
    return progress;
  }

  @Override
  public MigrationProgress progress() {
    return progress;
  }

  @Override
  public void cancel() {
    cancelRequested = true;
  }
}
