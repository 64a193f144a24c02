package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code hourglass schedule …} against a running server, the scheduled workflows run by a real SDK worker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleCommandsTest {
  private static final String TASK_QUEUE = "cli-schedule-tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;

  private ServerWithWorker server;
  private CliHarness cli;

  @BeforeAll
  void startServerAndWorker() {
    server = new ServerWithWorker(directory, TASK_QUEUE, TestWorkflows.GreetingImpl.class);
    cli = CliHarness.forServer(server.target());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void createTriggerToggleBackfillListAndDelete() throws Exception {
    CliResult created = cli.run("schedule", "create", "-s", "greet-hourly", "--interval", "1h", "--paused", "--notes", "not yet",
        "--type", "Greeting", "-t", TASK_QUEUE, "-i", "\"Hello\"", "-i", "\"schedule\"");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("Schedule greet-hourly created\n");

    CliResult described = cli.run("schedule", "describe", "-s", "greet-hourly");
    assertThat(described.out()).containsPattern("WorkflowType\\s+Greeting").containsPattern("WorkflowId\\s+greet-hourly")
        .containsPattern("Paused\\s+true").containsPattern("Notes\\s+not yet").contains("\"interval\":\"3600s\"");

    CliResult triggered = cli.run("schedule", "trigger", "-s", "greet-hourly");
    assertThat(triggered.exitCode()).as(triggered.toString()).isZero();
    assertThat(triggered.out()).isEqualTo("Schedule greet-hourly triggered\n");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode info = JSON.readTree(cli.run("schedule", "describe", "-s", "greet-hourly", "-o", "json").out()).get("info");
      assertThat(info.get("actionCount").asText()).isEqualTo("1");
      assertThat(info.at("/recentActions/0/startWorkflowStatus").asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_COMPLETED");
    });
    String workflowId = JSON.readTree(cli.run("schedule", "describe", "-s", "greet-hourly", "-o", "json").out())
        .at("/info/recentActions/0/startWorkflowResult/workflowId").asText();
    assertThat(cli.run("workflow", "result", "-w", workflowId).out()).containsPattern("Result\\s+\"Hello, schedule!\"");

    CliResult unpaused = cli.run("schedule", "toggle", "-s", "greet-hourly", "--unpause", "--reason", "go");
    assertThat(unpaused.out()).isEqualTo("Schedule greet-hourly unpaused\n");
    assertThat(cli.run("schedule", "describe", "-s", "greet-hourly").out()).containsPattern("Paused\\s+false");

    CliResult backfilled = cli.run("schedule", "backfill", "-s", "greet-hourly", "--start-time", "2025-01-01T00:30:00Z",
        "--end-time", "2025-01-01T02:30:00Z", "--overlap-policy", "AllowAll");
    assertThat(backfilled.exitCode()).as(backfilled.toString()).isZero();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        JSON.readTree(cli.run("schedule", "describe", "-s", "greet-hourly", "-o", "json").out()).at("/info/actionCount").asText())
        .isEqualTo("3"));

    CliResult listed = cli.run("schedule", "list");
    assertThat(listed.out().lines().findFirst().orElseThrow()).matches("\\s+ScheduleId\\s+WorkflowType\\s+Paused\\s+NextRun\\s+Notes");
    assertThat(listed.out()).containsPattern("greet-hourly\\s+Greeting\\s+false");
    assertThat(JSON.readTree(cli.run("schedule", "list", "-o", "json").out()).get(0).get("scheduleId").asText()).isEqualTo("greet-hourly");
    assertThat(cli.run("schedule", "list", "-q", "TemporalSchedulePaused = false").out()).contains("greet-hourly");
    assertThat(JSON.readTree(cli.run("schedule", "list", "-q", "ScheduleId = 'other'", "-o", "json").out())).isEmpty();
    CliResult badQuery = cli.run("schedule", "list", "-q", "WorkflowType = 'Greeting'");
    assertThat(badQuery.exitCode()).as(badQuery.toString()).isEqualTo(1);
    assertThat(badQuery.err()).isEqualTo("Error: INVALID_ARGUMENT: invalid query filter for schedules: cannot filter on \"WorkflowType\"\n");

    CliResult updated = cli.run("schedule", "update", "-s", "greet-hourly", "--cron", "0 7 * * mon-fri", "--time-zone", "Europe/Paris",
        "--type", "Greeting", "-t", TASK_QUEUE, "--paused");
    assertThat(updated.exitCode()).as(updated.toString()).isZero();
    assertThat(cli.run("schedule", "describe", "-s", "greet-hourly").out()).contains("Europe/Paris").containsPattern("Paused\\s+true");

    CliResult deleted = cli.run("schedule", "delete", "-s", "greet-hourly");
    assertThat(deleted.out()).isEqualTo("Schedule greet-hourly deleted\n");
    CliResult gone = cli.run("schedule", "describe", "-s", "greet-hourly");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
  }

  @Test
  void everyCommandPrintsTheServersAnswerAsJsonAndAnUnknownScheduleIsNotFound() throws Exception {
    CliResult created = cli.run("schedule", "create", "-s", "greet-json", "--cron", "@yearly", "--type", "Greeting", "-t", TASK_QUEUE,
        "-o", "json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(JSON.readTree(created.out()).has("conflictToken")).as(created.out()).isTrue();
    String[][] commands = {
        {"schedule", "toggle", "-s", "greet-json", "--pause", "--reason", "r"},
        {"schedule", "trigger", "-s", "greet-json"},
        {"schedule", "backfill", "-s", "greet-json", "--start-time", "2025-01-01T00:00:00Z", "--end-time", "2025-01-02T00:00:00Z"},
        {"schedule", "update", "-s", "greet-json", "--cron", "@monthly", "--type", "Greeting", "-t", TASK_QUEUE},
        {"schedule", "delete", "-s", "greet-json"}};
    for (String[] command : commands) {
      CliResult json = cli.run(CliHarness.concat(command, "-o", "json"));
      assertThat(json.exitCode()).as(json.toString()).isZero();
      assertThat(JSON.readTree(json.out()).isObject()).as(json.toString()).isTrue();
    }
    // Deleted by the last command: each is now about a schedule the server does not know.
    for (String[] command : commands) {
      CliResult unknown = cli.run(command);
      assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
      assertThat(unknown.err()).as(unknown.toString()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
    }
  }

  @Test
  void aScheduleNeedsATime() {
    CliResult result = cli.run("schedule", "create", "-s", "never", "--type", "Greeting", "-t", TASK_QUEUE);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("A schedule needs a time: give --cron, --interval or --calendar");
  }

  @Test
  void badCalendarAndPolicyAreUsageErrors() {
    CliResult calendar = cli.run("schedule", "create", "-s", "bad", "--calendar", "{\"hours\": \"9\"}", "--type", "Greeting", "-t", TASK_QUEUE);
    assertThat(calendar.exitCode()).isEqualTo(2);
    assertThat(calendar.err()).contains("Invalid --calendar");

    CliResult policy = cli.run("schedule", "trigger", "-s", "bad", "--overlap-policy", "Whenever");
    assertThat(policy.exitCode()).isEqualTo(2);
    assertThat(policy.err()).contains("expected one of Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll");
  }

  @Test
  void malformedCronIsTheServersInvalidArgument() {
    CliResult result = cli.run("schedule", "create", "-s", "bad-cron", "--cron", "61 * * * *", "--type", "Greeting", "-t", TASK_QUEUE);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: INVALID_ARGUMENT: ").hasLineCount(1);
  }
}
