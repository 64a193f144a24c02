package dev.hourglass.server.cluster;

import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.Set;

/**
 * The task-queue long polls, which a failover answers "no task" instead of failing. A worker's
 * poll that fails is logged by the SDK as a warning with a stack trace, once per poller thread and
 * round; Temporal's frontend hides a matching host's loss from its pollers, and so does Hourglass:
 * an empty answer is what a poll gets when its long-poll time passes without a task, and the
 * worker simply polls again — reaching the new owner once there is one. Nothing is lost by it: a
 * task the lost owner had handed to the poll was recorded as started and is retried by its
 * timeout, as when a worker dies with it.
 */
final class LongPolls {
  /**
   * The shortest time a poll answered "no task" by a failover takes: while the failover lasts
   * (about 6 s after a crash), each poller goes round about every 2 s, not in a tight loop
   * against a process that is gone.
   */
  static final Duration FAILOVER_HOLD = Duration.ofSeconds(2);

  private static final Set<String> METHODS = Set.of(
      WorkflowServiceGrpc.getPollWorkflowTaskQueueMethod().getFullMethodName(),
      WorkflowServiceGrpc.getPollActivityTaskQueueMethod().getFullMethodName(),
      WorkflowServiceGrpc.getPollNexusTaskQueueMethod().getFullMethodName());

  private LongPolls() {}

  static boolean isLongPoll(String fullMethodName) {
    return METHODS.contains(fullMethodName);
  }
}
