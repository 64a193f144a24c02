package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.TerminatedFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Temporal's history limits: continue-as-new suggested past 4,096 events, the run terminated past 51,200. */
@Timeout(120)
class HistoryLimitsIT {
  private static final String TASK_QUEUE = "history-limits";

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @WorkflowInterface
  public interface GrowingWorkflow {
    /** Records {@code rounds} × 1,000 side effects, one workflow task per round; says whether continue-as-new was suggested. */
    @WorkflowMethod
    String grow(int rounds);
  }

  public static class GrowingWorkflowImpl implements GrowingWorkflow {
    @Override
    public String grow(int rounds) {
      boolean suggestedAtStart = Workflow.getInfo().isContinueAsNewSuggested();
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < 1_000; i++) {
          int value = i;
          Workflow.sideEffect(Integer.class, () -> value);
        }
        Workflow.sleep(Duration.ofMillis(1));
      }
      return "suggested at start " + suggestedAtStart + ", at end " + Workflow.getInfo().isContinueAsNewSuggested();
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(GrowingWorkflowImpl.class));
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private GrowingWorkflow workflow(String workflowId) {
    return sdk.client().newWorkflowStub(GrowingWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
  }

  @Test
  void continueAsNewIsSuggestedOnceHistoryPassesFourThousandEvents() {
    assertThat(workflow("growing").grow(5)).isEqualTo("suggested at start false, at end true");
  }

  @Test
  void aRunWhoseHistoryPassesTheLimitIsTerminated() {
    assertThatThrownBy(() -> workflow("overgrown").grow(60))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(TerminatedFailure.class);
    List<HistoryEvent> events = new HistoryProbe(sdk.client()).events("overgrown");
    HistoryEvent last = events.get(events.size() - 1);
    assertThat(last.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    assertThat(last.getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("Workflow history count exceeds limit.");
    assertThat(events.size()).isBetween(51_200, 53_000);
  }
}
