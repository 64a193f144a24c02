package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hourglass workflow …} against a running server, with a real SDK worker executing the
 * workflows: what each command prints on stdout (table and JSON), on stderr, and its exit code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowCommandsTest {
  private static final String TASK_QUEUE = "cli-tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;

  private ServerWithWorker server;
  private CliHarness cli;

  @BeforeAll
  void startServerAndWorker() {
    server = new ServerWithWorker(directory, TASK_QUEUE, TestWorkflows.GreetingImpl.class, TestWorkflows.FailingImpl.class, TestWorkflows.WaitingImpl.class);
    cli = CliHarness.forServer(server.target());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void executeWaitsAndPrintsTheResult() {
    CliResult result = cli.run("workflow", "execute", "--type", "Greeting", "-t", TASK_QUEUE, "-w", "greet-table",
        "--input", "\"Hello\"", "--input", "\"Ada\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Running execution:").containsPattern("WorkflowId\\s+greet-table")
        .containsPattern("Status\\s+COMPLETED").containsPattern("Result\\s+\"Hello, Ada!\"");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void executeAsJson() throws Exception {
    CliResult result = cli.run("workflow", "execute", "--type", "Greeting", "-t", TASK_QUEUE, "-w", "greet-json",
        "-i", "\"Hi\"", "-i", "\"Bob\"", "-o", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode json = JSON.readTree(result.out());
    assertThat(json.get("workflowId").asText()).isEqualTo("greet-json");
    assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(json.get("result").asText()).isEqualTo("Hi, Bob!");
    assertThat(json.get("runId").asText()).isNotEmpty();
  }

  @Test
  void executeOfAFailingWorkflowExitsWith3AndSaysWhy() {
    CliResult result = cli.run("workflow", "execute", "--type", "Failing", "-t", TASK_QUEUE, "--input", "\"boom\"");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.out()).containsPattern("Status\\s+FAILED").contains("boom");
    assertThat(result.err()).isEqualTo("Error: workflow failed: boom (TestFailure)\n");
  }

  @Test
  void inputFileIsOneArgument() throws Exception {
    Path greeting = directory.resolve("greeting.json");
    java.nio.file.Files.writeString(greeting, "\"Howdy\"\n");

    CliResult result = cli.run("workflow", "execute", "--type", "Greeting", "-t", TASK_QUEUE, "--input-file", greeting.toString(),
        "--input-file", greeting.toString(), "-o", "json");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(JSON.readTree(result.out()).get("result").asText()).isEqualTo("Howdy, Howdy!");
  }

  @Test
  void startDescribeQuerySignalAndResult() throws Exception {
    String id = "waiting-" + UUID.randomUUID();
    CliResult started = cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id, "--memo", "note=\"hi\"");
    assertThat(started.exitCode()).as(started.toString()).isZero();
    assertThat(started.out()).containsPattern("WorkflowId\\s+" + id).containsPattern("Type\\s+Waiting");

    CliResult described = cli.run("workflow", "describe", "-w", id);
    assertThat(described.out()).containsPattern("Status\\s+Running").containsPattern("Memo.note\\s+\"hi\"");
    JsonNode json = JSON.readTree(cli.run("workflow", "describe", "-w", id, "-o", "json").out());
    assertThat(json.at("/workflowExecutionInfo/status").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_RUNNING");
    assertThat(json.at("/workflowExecutionInfo/memo/fields/note").asText()).isEqualTo("hi");

    CliResult query = cli.run("workflow", "query", "-w", id, "--name", "state");
    assertThat(query.exitCode()).as(query.toString()).isZero();
    assertThat(query.out()).isEqualTo("\"waiting\"\n");

    CliResult signal = cli.run("workflow", "signal", "-w", id, "--name", "release", "--input", "\"go\"");
    assertThat(signal.exitCode()).as(signal.toString()).isZero();
    assertThat(signal.out()).isEqualTo("Signal workflow succeeded\n");

    CliResult result = cli.run("workflow", "result", "-w", id, "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(JSON.readTree(result.out()).get("result").asText()).isEqualTo("released: go");
    JsonNode answered = JSON.readTree(cli.run("workflow", "query", "-w", id, "--name", "state", "-o", "json").out());
    assertThat(answered.at("/queryResult/payloads/0").asText()).isEqualTo("released");
  }

  @Test
  void showPrintsTheHistoryAsTableAndJson() throws Exception {
    cli.run("workflow", "execute", "--type", "Greeting", "-t", TASK_QUEUE, "-w", "greet-show", "-i", "\"Hello\"", "-i", "\"Cy\"");

    CliResult table = cli.run("workflow", "show", "-w", "greet-show");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).matches("\\s+ID\\s+Time\\s+Type\\s+Details");
    assertThat(table.out()).contains("WorkflowExecutionStarted").contains("WorkflowTaskCompleted")
        .contains("WorkflowExecutionCompleted").contains("\"Hello, Cy!\"");

    JsonNode history = JSON.readTree(cli.run("workflow", "show", "-w", "greet-show", "-o", "json").out());
    JsonNode first = history.get("events").get(0);
    assertThat(first.get("eventType").asText()).isEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");
    assertThat(first.at("/workflowExecutionStartedEventAttributes/input/payloads/0").asText()).isEqualTo("Hello");

    JsonNode raw = JSON.readTree(cli.run("workflow", "show", "-w", "greet-show", "-o", "json", "--no-json-shorthand-payloads").out());
    assertThat(raw.at("/events/0/workflowExecutionStartedEventAttributes/input/payloads/0/metadata/encoding").asText())
        .isEqualTo("anNvbi9wbGFpbg==");
  }

  @Test
  void showFollowStreamsEventsUntilTheWorkflowCloses() throws Exception {
    String id = "follow-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);
    CompletableFuture<CliResult> follow = CompletableFuture.supplyAsync(() -> cli.run("workflow", "show", "-w", id, "--follow", "-o", "json"));
    Thread.sleep(500);
    assertThat(follow).isNotDone();

    cli.run("workflow", "signal", "-w", id, "--name", "release", "--input", "\"now\"");

    CliResult result = follow.get(30, TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> types = new ArrayList<>();
    for (String line : result.out().lines().toList()) {
      types.add(JSON.readTree(line).get("eventType").asText());
    }
    assertThat(types).startsWith("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED")
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED").endsWith("EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED");
  }

  @Test
  void cancelledWorkflowResultExitsWith3() {
    String id = "cancel-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);

    CliResult cancel = cli.run("workflow", "cancel", "-w", id, "--reason", "not needed");
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).isEqualTo("Cancellation requested\n");

    CliResult result = cli.run("workflow", "result", "-w", id);
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.out()).containsPattern("Status\\s+CANCELED");
    assertThat(result.err()).startsWith("Error: workflow canceled");
  }

  @Test
  void terminatedWorkflowResultExitsWith3WithTheReason() throws Exception {
    String id = "terminate-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);

    CliResult terminate = cli.run("workflow", "terminate", "-w", id, "--reason", "stuck");
    assertThat(terminate.exitCode()).as(terminate.toString()).isZero();
    assertThat(terminate.out()).isEqualTo("Workflow terminated\n");

    CliResult result = cli.run("workflow", "result", "-w", id, "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(JSON.readTree(result.out()).get("status").asText()).isEqualTo("TERMINATED");
    assertThat(JSON.readTree(result.out()).get("reason").asText()).isEqualTo("stuck");
    assertThat(result.err()).isEqualTo("Error: workflow terminated: reason: stuck\n");
  }

  @Test
  void deleteRemovesARunningWorkflowAndItsHistory() throws Exception {
    String id = "delete-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);

    CliResult deleted = cli.run("workflow", "delete", "-w", id);
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).isEqualTo("Delete workflow succeeded\n");
    CliResult describe = cli.run("workflow", "describe", "-w", id);
    assertThat(describe.exitCode()).as(describe.toString()).isEqualTo(1);
    assertThat(describe.err()).startsWith("Error: NOT_FOUND: ");
    assertThat(cli.run("workflow", "count", "-q", "WorkflowId = '" + id + "'").out()).isEqualTo("Total: 0\n");

    String completed = "delete-json-" + UUID.randomUUID();
    cli.run("workflow", "execute", "--type", "Greeting", "-t", TASK_QUEUE, "-w", completed, "--input", "\"Hi\"", "--input", "\"Bo\"");
    CliResult json = cli.run("workflow", "delete", "-w", completed, "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(JSON.readTree(json.out()).isObject()).isTrue();

    CliResult again = cli.run("workflow", "delete", "-w", completed);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
  }

  @Test
  void signalCancelAndTerminateAsJsonAndOnAClosedWorkflow() throws Exception {
    for (String[] command : new String[][] {{"signal", "--name", "other"}, {"cancel"}, {"terminate", "--reason", "json"}}) {
      // A workflow of its own for each: a cancel request ends a Waiting workflow.
      String id = "json-" + command[0] + "-" + UUID.randomUUID();
      cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);
      String[] full = CliHarness.concat(new String[] {"workflow", command[0], "-w", id},
          java.util.Arrays.copyOfRange(command, 1, command.length));
      CliResult json = cli.run(CliHarness.concat(full, "-o", "json"));
      assertThat(json.exitCode()).as(json.toString()).isZero();
      assertThat(JSON.readTree(json.out()).isObject()).as(json.toString()).isTrue();

      cli.run("workflow", "terminate", "-w", id);
      CliResult closed = cli.run(full);
      if (command[0].equals("cancel")) {
        // As in Temporal, asking a closed workflow to cancel succeeds and changes nothing.
        assertThat(closed.exitCode()).as(closed.toString()).isZero();
      } else {
        // Temporal's answer: NOT_FOUND ("workflow execution already completed").
        assertThat(closed.exitCode()).as(closed.toString()).isEqualTo(1);
        assertThat(closed.err()).as(closed.toString()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
      }
    }
  }

  @Test
  void timedOutWorkflowExitsWith3() {
    CliResult result = cli.run("workflow", "execute", "--type", "Waiting", "-t", TASK_QUEUE, "--execution-timeout", "1s");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.out()).containsPattern("Status\\s+TIMED_OUT");
    assertThat(result.err()).startsWith("Error: workflow timed out");
  }

  @Test
  void idConflictPolicies() {
    String id = "conflict-" + UUID.randomUUID();
    CliResult first = cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id, "-o", "json");

    CliResult second = cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
    assertThat(second.err()).startsWith("Error: ALREADY_EXISTS: ").endsWith("\n").hasLineCount(1);

    CliResult existing = cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id, "--id-conflict-policy", "UseExisting",
        "-o", "json");
    assertThat(existing.exitCode()).as(existing.toString()).isZero();
    assertThat(existing.out()).isEqualTo(first.out());

    CliResult bad = cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id, "--id-reuse-policy", "Sometimes");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("Invalid --id-reuse-policy 'Sometimes': expected one of AllowDuplicate, AllowDuplicateFailedOnly, "
        + "RejectDuplicate, TerminateIfRunning");
    cli.run("workflow", "terminate", "-w", id);
  }

  @Test
  void unknownWorkflowIsNotFoundExit1() {
    CliResult result = cli.run("workflow", "describe", "-w", "no-such-workflow");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("Error: NOT_FOUND: ").contains("no-such-workflow").hasLineCount(1);
  }

  @Test
  void badJsonInputIsAUsageError() {
    CliResult result = cli.run("workflow", "start", "--type", "Greeting", "-t", TASK_QUEUE, "--input", "Ada");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("Invalid --input: not JSON").contains("--input '\"text\"'");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    CliResult result = cli.run("workflow", "start", "--type", "Greeting");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required option: '--task-queue=QUEUE'");
  }

  @Test
  void commandTimeoutEndsAWait() {
    String id = "timeout-" + UUID.randomUUID();
    cli.run("workflow", "start", "--type", "Waiting", "-t", TASK_QUEUE, "-w", id);

    CliResult result = cli.run("workflow", "result", "-w", id, "--command-timeout", "1s");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: DEADLINE_EXCEEDED").contains("--command-timeout 1s");
    cli.run("workflow", "terminate", "-w", id);
  }

  @Test
  void resultOfAWorkflowStartedByTheSdk() {
    WorkflowStub stub = server.client().newUntypedWorkflowStub("Greeting",
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("sdk-started").build());
    stub.start("Hey", "Di");

    CliResult result = cli.run("workflow", "result", "-w", "sdk-started");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).containsPattern("Result\\s+\"Hey, Di!\"");
  }
}
