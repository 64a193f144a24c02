package dev.hourglass.examples.migration;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A data migration in batches: each record is its own activity (retried on its own), progress can
 * be queried at any time, a cancel signal stops it cleanly between records, and after a number of
 * batches it continues as new so its history stays small however many records there are.
 */
@WorkflowInterface
public interface MigrationWorkflow {
  @WorkflowMethod
  MigrationProgress migrate(MigrationInput input);

  @QueryMethod
  MigrationProgress progress();

  @SignalMethod
  void cancel();
}
