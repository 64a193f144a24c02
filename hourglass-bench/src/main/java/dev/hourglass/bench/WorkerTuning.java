package dev.hourglass.bench;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehaviorSimpleMaximum;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How the in-process worker is sized. Only the knobs that decide throughput are exposed; the rest
 * keep the SDK's defaults, so the worker behaves like an ordinary application's. Why each default:
 *
 * <ul>
 *   <li>Pollers: a poller carries one task per round trip, and the SDK splits the workflow pollers
 *       between the normal and the sticky queue. Eight of each keep a task-queue backlog drained on a
 *       loopback link without making the server hold many idle long polls. Fixed counts, not the
 *       SDK's autoscaling, so that both servers see the same number of polls.
 *   <li>Executors: the SDK's 200 concurrent workflow tasks and activities are already above the
 *       default {@code --concurrency}; raise them with it.
 *   <li>Eager activities off by default: with them the SDK asks the server to hand the activity back
 *       in the workflow-task response, skipping activity matching. A server may or may not support
 *       it; off, both servers run the same path (schedule, match, poll, complete).
 * </ul>
 *
 * Cache size (600 workflows) and workflow threads (600) stay at the SDK's defaults.
 */
final class WorkerTuning {
  @Option(names = "--workflow-pollers", paramLabel = "N", defaultValue = "8",
      description = "Concurrent workflow-task polls, normal and sticky queue together (default: ${DEFAULT-VALUE}).")
  private int workflowPollers;

  @Option(names = "--activity-pollers", paramLabel = "N", defaultValue = "8",
      description = "Concurrent activity-task polls (default: ${DEFAULT-VALUE}).")
  private int activityPollers;

  @Option(names = "--max-workflow-tasks", paramLabel = "N", defaultValue = "200",
      description = "Workflow tasks the worker executes at once (default: ${DEFAULT-VALUE}).")
  private int maxWorkflowTasks;

  @Option(names = "--max-activities", paramLabel = "N", defaultValue = "200",
      description = "Activities the worker executes at once (default: ${DEFAULT-VALUE}).")
  private int maxActivities;

  @Option(names = "--eager-activities", defaultValue = "false",
      description = "Let the server return activities in the workflow-task response (default: ${DEFAULT-VALUE}).")
  private boolean eagerActivities;

  void validate(CommandSpec spec) {
    // The SDK needs two workflow pollers to serve the normal and the sticky queue.
    if (workflowPollers < 2 || activityPollers < 1 || maxWorkflowTasks < 1 || maxActivities < 1) {
      throw new ParameterException(spec.commandLine(),
          "--workflow-pollers must be at least 2; --activity-pollers, --max-workflow-tasks, --max-activities at least 1");
    }
  }

  WorkerOptions workerOptions() {
    return WorkerOptions.newBuilder()
        .setWorkflowTaskPollersBehavior(new PollerBehaviorSimpleMaximum(workflowPollers))
        .setActivityTaskPollersBehavior(new PollerBehaviorSimpleMaximum(activityPollers))
        .setMaxConcurrentWorkflowTaskExecutionSize(maxWorkflowTasks)
        .setMaxConcurrentActivityExecutionSize(maxActivities)
        .setDisableEagerExecution(!eagerActivities)
        .build();
  }

  WorkerFactoryOptions factoryOptions() {
    return WorkerFactoryOptions.getDefaultInstance();
  }

  /** One line for the summary, so a result can be told apart from one with other settings. */
  String describe() {
    return String.format("workflow pollers=%d, activity pollers=%d, max workflow tasks=%d, max activities=%d, eager activities=%s",
        workflowPollers, activityPollers, maxWorkflowTasks, maxActivities, eagerActivities);
  }
}
