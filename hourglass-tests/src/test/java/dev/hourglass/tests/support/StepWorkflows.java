package dev.hourglass.tests.support;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED;
import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * The workload of the failure tests (database outage, network partition): workflows of a few
 * activity steps with a short timer before each but the first, whose result names every step, so
 * a test can tell a step lost, repeated or out of order from the result and the history alone.
 */
public final class StepWorkflows {
  private StepWorkflows() {}

  @WorkflowInterface
  public interface StepsWorkflow {
    /** {@code steps} activities with a 2 s timer before each but the first; returns their results joined. */
    @WorkflowMethod
    String run(int steps);
  }

  @ActivityInterface
  public interface StepActivities {
    String step(String workflowId, int step);
  }

  public static class StepsWorkflowImpl implements StepsWorkflow {
    @Override
    public String run(int steps) {
      StepActivities activities = Workflow.newActivityStub(StepActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(500)).setBackoffCoefficient(1.0).build())
          .build());
      String workflowId = Workflow.getInfo().getWorkflowId();
      List<String> results = new ArrayList<>();
      for (int step = 1; step <= steps; step++) {
        if (step > 1) {
          Workflow.sleep(Duration.ofSeconds(2));
        }
        results.add(activities.step(workflowId, step));
      }
      return String.join(",", results);
    }
  }

  /** Counts the steps run, to tell when every workflow is mid-flight. */
  public static class CountingActivities implements StepActivities {
    private final AtomicInteger total = new AtomicInteger();

    @Override
    public String step(String workflowId, int step) {
      total.incrementAndGet();
      return workflowId + ":" + step;
    }

    public int total() {
      return total.get();
    }
  }

  public static String expectedResult(String workflowId, int steps) {
    List<String> results = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      results.add(workflowId + ":" + step);
    }
    return String.join(",", results);
  }

  /** The history of a completed steps workflow: each step scheduled and completed once, each timer once, ids without a gap. */
  public static void assertCompletedOnce(List<HistoryEvent> events, String workflowId, int steps) {
    assertThat(HistoryProbe.count(events, EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)).as("completions of %s", workflowId).isEqualTo(1);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).as("activities of %s", workflowId).isEqualTo(steps);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).as("completed activities of %s", workflowId)
        .isEqualTo(steps);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_TIMER_STARTED)).as("timers of %s", workflowId).isEqualTo(steps - 1);
    assertThat(HistoryProbe.count(events, EVENT_TYPE_TIMER_FIRED)).as("fired timers of %s", workflowId).isEqualTo(steps - 1);
    assertThat(events).extracting(HistoryEvent::getEventId).as("event ids of %s", workflowId)
        .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
  }
}
