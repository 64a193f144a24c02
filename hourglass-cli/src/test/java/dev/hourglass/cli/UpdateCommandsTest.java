package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code workflow update execute|start} against a server with Workflow Update and a real SDK worker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpdateCommandsTest {
  private static final String TASK_QUEUE = "cli-update-tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;

  private ServerWithWorker server;
  private CliHarness cli;

  /** Adds to a running total; a negative amount is rejected by the validator. */
  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod(name = "Counter")
    int run();

    @UpdateMethod(name = "add")
    int add(int amount);

    @UpdateValidatorMethod(updateName = "add")
    void validateAdd(int amount);

    @SignalMethod(name = "finish")
    void finish();

    /** Continues as new (a fresh total). */
    @SignalMethod(name = "again")
    void again();
  }

  public static final class CounterImpl implements Counter {
    private int total;
    private boolean finished;
    private boolean again;

    @Override
    public int run() {
      Workflow.await(() -> finished || again);
      if (again && !finished) {
        Workflow.continueAsNew();
      }
      return total;
    }

    @Override
    public void again() {
      again = true;
    }

    @Override
    public int add(int amount) {
      total += amount;
      return total;
    }

    @Override
    public void validateAdd(int amount) {
      if (amount < 0) {
        throw new IllegalArgumentException("amount must not be negative: " + amount);
      }
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @BeforeAll
  void startServerAndWorker() {
    server = new ServerWithWorker(directory, TASK_QUEUE, CounterImpl.class);
    cli = CliHarness.forServer(server.target());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void executeStartAndRejection() throws Exception {
    String id = "counter-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Counter", "-t", TASK_QUEUE, "-w", id);

    CliResult executed = cli.run("workflow", "update", "execute", "-w", id, "--name", "add", "--input", "5", "--update-id", "first");
    assertThat(executed.exitCode()).as(executed.toString()).isZero();
    assertThat(executed.out()).containsPattern("UpdateId\\s+first").containsPattern("Result\\s+5");

    CliResult json = cli.run("workflow", "update", "execute", "-w", id, "--name", "add", "--input", "2", "-o", "json");
    assertThat(JSON.readTree(json.out()).get("result").asInt()).isEqualTo(7);

    CliResult started = cli.run("workflow", "update", "start", "-w", id, "--name", "add", "--input", "1");
    assertThat(started.exitCode()).as(started.toString()).isZero();
    assertThat(started.out()).containsPattern("Stage\\s+(Accepted|Completed)");

    CliResult rejected = cli.run("workflow", "update", "execute", "-w", id, "--name", "add", "--input", "-1");
    assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(3);
    assertThat(rejected.err()).startsWith("Error: update failed: amount must not be negative: -1").hasLineCount(1);

    cli.run("workflow", "signal", "-w", id, "--name", "finish");
    CliResult result = cli.run("workflow", "result", "-w", id);
    assertThat(result.out()).containsPattern("Result\\s+8");
  }

  @Test
  void resetStartsANewRunFromAWorkflowTask() throws Exception {
    String id = "reset-" + UUID.randomUUID();
    CliResult started = cli.run("workflow", "start", "--type", "Counter", "-t", TASK_QUEUE, "-w", id, "-o", "json");
    String firstRun = JSON.readTree(started.out()).get("runId").asText();
    cli.run("workflow", "update", "execute", "-w", id, "--name", "add", "--input", "5");

    CliResult reset = cli.run("workflow", "reset", "-w", id, "--type", "FirstWorkflowTask", "--reason", "try again");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    assertThat(reset.out()).startsWith("Reset workflow to event ").contains("new run: ");

    CliResult old = cli.run("workflow", "describe", "-w", id, "-r", firstRun);
    assertThat(old.out()).containsPattern("Status\\s+Terminated");
    CliResult current = cli.run("workflow", "describe", "-w", id, "-o", "json");
    assertThat(JSON.readTree(current.out()).at("/workflowExecutionInfo/execution/runId").asText()).isNotEqualTo(firstRun);
    assertThat(JSON.readTree(current.out()).at("/workflowExecutionInfo/status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_RUNNING");

    CliResult badType = cli.run("workflow", "reset", "-w", id, "--type", "Somewhere", "--reason", "x");
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).contains("expected FirstWorkflowTask, LastWorkflowTask or LastContinuedAsNew");
    CliResult noPreviousRun = cli.run("workflow", "reset", "-w", id, "--type", "LastContinuedAsNew", "--reason", "x");
    assertThat(noPreviousRun.exitCode()).as(noPreviousRun.toString()).isEqualTo(2);
    assertThat(noPreviousRun.err()).contains("did not start by continue-as-new");
    cli.run("workflow", "terminate", "-w", id);
  }

  @Test
  void resetToTheLastContinuedAsNewResetsThePreviousRun() throws Exception {
    String id = "reset-can-" + UUID.randomUUID();
    String firstRun = JSON.readTree(cli.run("workflow", "start", "--type", "Counter", "-t", TASK_QUEUE, "-w", id, "-o", "json").out())
        .get("runId").asText();
    cli.run("workflow", "signal", "-w", id, "--name", "again");
    String secondRun = awaitNewRun(id, firstRun);

    CliResult reset = cli.run("workflow", "reset", "-w", id, "--type", "LastContinuedAsNew", "--reason", "back", "-o", "json");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    String resetRun = JSON.readTree(reset.out()).get("runId").asText();
    assertThat(resetRun).isNotIn(firstRun, secondRun);
    // The run that was current is terminated; the new one replays the first run up to its last workflow task.
    assertThat(cli.run("workflow", "describe", "-w", id, "-r", secondRun).out()).containsPattern("Status\\s+Terminated");
    CliResult history = cli.run("workflow", "show", "-w", id, "-r", resetRun, "-o", "json");
    assertThat(history.out()).contains("WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW").contains("\"baseRunId\": \"" + firstRun + "\"");
    cli.run("workflow", "terminate", "-w", id);
  }

  private String awaitNewRun(String id, String previousRun) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(cli.run("workflow", "describe", "-w", id, "-o", "json").out())
        .at("/workflowExecutionInfo/execution/runId").asText(), run -> !run.isEmpty() && !run.equals(previousRun));
  }
}
