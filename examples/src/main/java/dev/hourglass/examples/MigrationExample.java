package dev.hourglass.examples;

import dev.hourglass.examples.migration.MigrationInput;
import dev.hourglass.examples.migration.MigrationProgress;
import dev.hourglass.examples.migration.MigrationWorkflow;
import dev.hourglass.examples.migration.MigrationWorkflowImpl;
import dev.hourglass.examples.migration.SampleRecords;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migration", mixinStandardHelpOptions = true,
    description = "A data migration in batches: progress query, cancel signal, continue-as-new every few batches.")
final class MigrationExample implements Callable<Integer> {
  static final String TASK_QUEUE = "examples-migration";

  @Mixin Connection.Options connection;

  @Option(names = "--records", defaultValue = "200", description = "Records to migrate (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--batch-size", defaultValue = "10", description = "Records per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--batches-per-run", defaultValue = "5", description = "Batches before continue-as-new (default: ${DEFAULT-VALUE}).")
  int batchesPerRun;

  @Option(names = "--record-millis", defaultValue = "150", description = "Time to copy one record, in ms (default: ${DEFAULT-VALUE}).")
  long recordMillis;

  @Override
  public Integer call() throws Exception {
    try (Connection server = new Connection(connection)) {
      Worker worker = server.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
      worker.registerActivitiesImplementations(new SampleRecords(records, Duration.ofMillis(recordMillis)));
      server.startWorkers();

      String workflowId = "migration-users-" + System.currentTimeMillis() / 1000;
      MigrationWorkflow migration = server.client().newWorkflowStub(MigrationWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TASK_QUEUE).build());
      WorkflowClient.start(migration::migrate, new MigrationInput(batchSize, batchesPerRun, MigrationProgress.start()));
      System.out.println("Started migration workflow " + workflowId);
      System.out.println("  see it in the UI: " + server.uiLink(workflowId));
      System.out.println("  its progress:     ./hourglass workflow query --workflow-id " + workflowId + " --type progress");
      System.out.println("  stop it cleanly:  ./hourglass workflow signal --workflow-id " + workflowId + " --name cancel");
      // The untyped stub follows the run chain: its result is the last run's, after every continue-as-new.
      WorkflowStub chain = server.client().newUntypedWorkflowStub(workflowId);
      MigrationWorkflow latest = server.client().newWorkflowStub(MigrationWorkflow.class, workflowId);
      MigrationProgress result = Progress.follow(chain.getResultAsync(MigrationProgress.class), latest::progress);
      System.out.println("Result: " + result);
      return 0;
    }
  }
}
