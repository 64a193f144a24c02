package dev.hourglass.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The workflows the benchmark runs. They do as little as possible so that what is measured is the
 * server's path (start, workflow task, activity task, timer, completion) and not user code.
 * Workflow types are the interfaces' simple names: {@code ActivityWorkflow}, {@code EmptyWorkflow},
 * {@code SleepWorkflow}.
 */
final class BenchWorkflows {
  private BenchWorkflows() {}

  /** Runs one activity that returns its input: two workflow tasks and one activity task. */
  @WorkflowInterface
  public interface ActivityWorkflow {
    @WorkflowMethod
    String run(String input);
  }

  /** Returns its input at once: one workflow task. */
  @WorkflowInterface
  public interface EmptyWorkflow {
    @WorkflowMethod
    String run(String input);
  }

  /** Sleeps on one durable timer, then returns. */
  @WorkflowInterface
  public interface SleepWorkflow {
    @WorkflowMethod
    String run(long sleepMillis);
  }

  @ActivityInterface
  public interface EchoActivity {
    @ActivityMethod
    String echo(String input);
  }

  public static final class ActivityWorkflowImpl implements ActivityWorkflow {
    // One attempt: a lost or failed activity task must show up as a failed workflow in the
    // report, not hide as a retry inside a latency figure.
    private final EchoActivity activity = Workflow.newActivityStub(
        EchoActivity.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());

    @Override
    public String run(String input) {
      return activity.echo(input);
    }
  }

  public static final class EmptyWorkflowImpl implements EmptyWorkflow {
    @Override
    public String run(String input) {
      return input;
    }
  }

  public static final class SleepWorkflowImpl implements SleepWorkflow {
    @Override
    public String run(long sleepMillis) {
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      return "woke";
    }
  }

  public static final class EchoActivityImpl implements EchoActivity {
    @Override
    public String echo(String input) {
      return input;
    }
  }
}
