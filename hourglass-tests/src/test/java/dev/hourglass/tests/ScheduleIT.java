package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.workflowservice.v1.CountSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Schedules as the SDK's ScheduleClient drives them: the seeds' "cron schedules use Temporal schedules". */
@Timeout(90)
class ScheduleIT {
  private static final String TASK_QUEUE = "schedules";

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;
  private ScheduleClient schedules;

  @WorkflowInterface
  public interface DigestWorkflow {
    /** "hold" waits for {@link #release}; anything else returns at once. */
    @WorkflowMethod
    String send(String mode);

    @SignalMethod
    void release();
  }

  public static class DigestWorkflowImpl implements DigestWorkflow {
    private boolean released;

    @Override
    public String send(String mode) {
      if (mode.equals("hold")) {
        Workflow.await(() -> released);
      }
      return "sent " + Workflow.getInfo().getWorkflowId();
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(DigestWorkflowImpl.class));
    schedules = ScheduleClient.newInstance(sdk.service());
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  private static Schedule schedule(ScheduleSpec spec, String mode, SchedulePolicy policy, ScheduleState state) {
    Schedule.Builder schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(DigestWorkflow.class)
            .setArguments(mode)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("digest").setTaskQueue(TASK_QUEUE).build())
            .build())
        .setSpec(spec);
    if (policy != null) {
      schedule.setPolicy(policy);
    }
    if (state != null) {
      schedule.setState(state);
    }
    return schedule.build();
  }

  private static ScheduleSpec everySecond() {
    return ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(1)))).build();
  }

  private static ScheduleSpec yearly() {
    return ScheduleSpec.newBuilder().setCronExpressions(List.of("0 0 1 1 *")).build();
  }

  @Test
  void anIntervalScheduleStartsWorkflowsAndShowsThemInDescribeAndList() {
    ScheduleHandle handle = schedules.createSchedule("every-second", schedule(everySecond(), "now", null, null),
        ScheduleOptions.newBuilder().build());

    await().atMost(Duration.ofSeconds(15)).until(() -> handle.describe().getInfo().getNumActions() >= 3);
    ScheduleDescription description = handle.describe();
    assertThat(description.getInfo().getRecentActions()).isNotEmpty();
    String workflowId = ((ScheduleActionExecutionStartWorkflow) description.getInfo().getRecentActions().get(0).getAction())
        .getWorkflowId();
    assertThat(workflowId).matches("digest-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(sdk.client().newUntypedWorkflowStub(workflowId).getResult(String.class)).isEqualTo("sent " + workflowId);
    assertThat(description.getInfo().getNextActionTimes()).hasSize(10);
    // No catch-up window was given: describe shows the one in force, Temporal's one-year default.
    assertThat(description.getSchedule().getPolicy().getCatchupWindow()).isEqualTo(Duration.ofDays(365));

    List<String> listed = schedules.listSchedules().map(ScheduleListDescription::getScheduleId).collect(Collectors.toList());
    assertThat(listed).containsExactly("every-second");

    handle.delete();
    assertThatThrownBy(handle::describe).isInstanceOf(ScheduleException.class);
    assertThat(schedules.listSchedules().count()).isZero();
    assertThat(sdkLogs.events()).isEmpty();
  }

  @Test
  void anActionsSearchAttributesSentWithoutTypesAreDescribedWithTheirRegisteredTypes() {
    // A schedule created through the raw API (another SDK, the CLI) may leave the type metadata out.
    io.temporal.api.common.v1.Payload untyped = io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8("\"team-raw\"")).build();
    sdk.service().blockingStub().createSchedule(io.temporal.api.workflowservice.v1.CreateScheduleRequest.newBuilder()
        .setNamespace("default").setScheduleId("raw").setRequestId(java.util.UUID.randomUUID().toString())
        .setSchedule(io.temporal.api.schedule.v1.Schedule.newBuilder()
            .setSpec(io.temporal.api.schedule.v1.ScheduleSpec.newBuilder().addCronString("0 0 1 1 *"))
            .setAction(io.temporal.api.schedule.v1.ScheduleAction.newBuilder().setStartWorkflow(
                io.temporal.api.workflow.v1.NewWorkflowExecutionInfo.newBuilder()
                    .setWorkflowId("raw-wf")
                    .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("DigestWorkflow"))
                    .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(TASK_QUEUE))
                    .setSearchAttributes(io.temporal.api.common.v1.SearchAttributes.newBuilder()
                        .putIndexedFields("CustomKeywordField", untyped)))))
        .build());

    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedules.getHandle("raw").describe().getSchedule().getAction();
    assertThat(action.getOptions().getTypedSearchAttributes().get(SearchAttributeKey.forKeyword("CustomKeywordField")))
        .isEqualTo("team-raw");
  }

  @Test
  void listSchedulesWithAQueryFiltersOnPausedStateCustomAttributesAndScheduleId() {
    SearchAttributeKey<String> team = SearchAttributeKey.forKeyword("CustomKeywordField");
    ScheduleHandle alpha = schedules.createSchedule("alpha", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder()
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(team, "team-a").build()).build());
    schedules.createSchedule("beta", schedule(yearly(), "now", null, ScheduleState.newBuilder().setPaused(true).build()),
        ScheduleOptions.newBuilder().setTypedSearchAttributes(SearchAttributes.newBuilder().set(team, "team-b").build()).build());
    schedules.createSchedule("gamma", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder().build());

    assertThat(listed("TemporalSchedulePaused = true")).containsExactly("beta");
    assertThat(listed("TemporalSchedulePaused = false")).containsExactlyInAnyOrder("alpha", "gamma");
    assertThat(listed("CustomKeywordField = 'team-a'")).containsExactly("alpha");
    assertThat(listed("ScheduleId = 'gamma' OR ScheduleId STARTS_WITH 'al'")).containsExactlyInAnyOrder("alpha", "gamma");
    // Pausing rewrites what the query sees; the server's marks stay out of what the owner set.
    alpha.pause("hold");
    assertThat(listed("TemporalSchedulePaused = true")).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(alpha.describe().getTypedSearchAttributes().size()).isEqualTo(1);
    // Every page of a query, one schedule a page.
    assertThat(schedules.listSchedules("TemporalSchedulePaused = true", 1).map(ScheduleListDescription::getScheduleId))
        .containsExactlyInAnyOrder("alpha", "beta");
    assertThat(sdk.service().blockingStub().countSchedules(CountSchedulesRequest.newBuilder()
        .setNamespace("default").setQuery("TemporalSchedulePaused = true").build()).getCount()).isEqualTo(2);
    assertThat(sdk.service().blockingStub().countSchedules(CountSchedulesRequest.newBuilder()
        .setNamespace("default").build()).getCount()).isEqualTo(3);
    // As Temporal: a schedule query may not name the scheduler workflows' own system attributes.
    assertThatThrownBy(() -> listed("WorkflowType = 'x'"))
        .hasMessageContaining("INVALID_ARGUMENT: invalid query filter for schedules: cannot filter on \"WorkflowType\"");
    // The scheduler executions stay out of workflow lists.
    assertThat(sdk.client().listExecutions("").map(execution -> execution.getExecution().getWorkflowId()))
        .noneMatch(id -> id.startsWith("temporal-sys-scheduler:"));
  }

  private List<String> listed(String query) {
    return schedules.listSchedules(query, null).map(ScheduleListDescription::getScheduleId).collect(Collectors.toList());
  }

  @Test
  void aScheduleIdCanBeRegisteredOnce() {
    schedules.createSchedule("once", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder().build());
    assertThatThrownBy(() -> schedules.createSchedule("once", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder().build()))
        .isInstanceOf(ScheduleAlreadyRunningException.class);
  }

  @Test
  void triggerPauseAndUnpause() {
    ScheduleHandle handle = schedules.createSchedule("manual", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder().build());
    handle.pause("maintenance");
    ScheduleDescription paused = handle.describe();
    assertThat(paused.getSchedule().getState().isPaused()).isTrue();
    assertThat(paused.getSchedule().getState().getNote()).isEqualTo("maintenance");
    // As in Temporal, a paused schedule still shows the times its spec gives.
    assertThat(paused.getInfo().getNextActionTimes()).first()
        .isEqualTo(Instant.parse(Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() + 1 + "-01-01T00:00:00Z"));

    handle.trigger();
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActions() == 1);
    handle.unpause("back");
    ScheduleDescription unpaused = handle.describe();
    assertThat(unpaused.getSchedule().getState().isPaused()).isFalse();
    assertThat(unpaused.getInfo().getNextActionTimes()).first()
        .isEqualTo(Instant.parse(Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() + 1 + "-01-01T00:00:00Z"));
  }

  @Test
  void backfillTakesEveryTimeOfAPastPeriod() {
    ScheduleHandle handle = schedules.createSchedule("backfill", schedule(
        ScheduleSpec.newBuilder().setCronExpressions(List.of("* * * * *")).build(), "now",
        SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL).build(),
        ScheduleState.newBuilder().setPaused(true).build()), ScheduleOptions.newBuilder().build());
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    // Both ends are taken when the spec matches them, as in Temporal: 5 minutes of a per-minute cron are 6 actions.
    handle.backfill(List.of(new ScheduleBackfill(end.minus(Duration.ofMinutes(5)), end)));
    // Actions are counted when decided and listed once started.
    await().atMost(Duration.ofSeconds(15)).until(() -> handle.describe().getInfo().getRecentActions().size() == 6);
    assertThat(handle.describe().getInfo().getNumActions()).isEqualTo(6);
    assertThat(handle.describe().getInfo().getRecentActions()).extracting(action ->
        ((ScheduleActionExecutionStartWorkflow) action.getAction()).getWorkflowId())
        .contains("digest-" + end, "digest-" + end.minus(Duration.ofMinutes(5)));
  }

  @Test
  void overlapSkipDoesNotStartASecondRunWhileTheFirstRuns() throws Exception {
    ScheduleHandle handle = schedules.createSchedule("skip", schedule(everySecond(), "hold", null, null),
        ScheduleOptions.newBuilder().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getRunningActions().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActionsSkippedOverlap() >= 2);
    ScheduleDescription description = handle.describe();
    assertThat(description.getInfo().getNumActions()).isEqualTo(1);
    String running = ((ScheduleActionExecutionStartWorkflow) description.getInfo().getRunningActions().get(0)).getWorkflowId();
    sdk.client().newWorkflowStub(DigestWorkflow.class, running).release();
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActions() >= 2);
    handle.delete();
  }

  @Test
  void overlapBufferOneStartsTheNextRunWhenTheFirstCloses() {
    ScheduleHandle handle = schedules.createSchedule("buffer-one", schedule(everySecond(), "hold",
        SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE).build(), null),
        ScheduleOptions.newBuilder().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActionsSkippedOverlap() >= 1);
    String first = ((ScheduleActionExecutionStartWorkflow) handle.describe().getInfo().getRunningActions().get(0)).getWorkflowId();
    sdk.client().newWorkflowStub(DigestWorkflow.class, first).release();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      var running = handle.describe().getInfo().getRunningActions();
      return running.size() == 1 && !((ScheduleActionExecutionStartWorkflow) running.get(0)).getWorkflowId().equals(first);
    });
    handle.delete();
  }

  @Test
  void updateReplacesTheSpec() {
    ScheduleHandle handle = schedules.createSchedule("update", schedule(yearly(), "now", null, null), ScheduleOptions.newBuilder().build());
    handle.update(input -> new ScheduleUpdate(Schedule.newBuilder(input.getDescription().getSchedule())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 12 * * *")).build()).build()));
    Instant next = handle.describe().getInfo().getNextActionTimes().get(0);
    assertThat(next.atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(12);
    assertThat(handle.describe().getSchedule().getSpec().getCalendars()).hasSize(1);
  }

  @Test
  void matchingTimesFollowTheSpec() {
    schedules.createSchedule("times", schedule(ScheduleSpec.newBuilder().setCronExpressions(List.of("30 9 * * mon-fri")).build(),
        "now", null, null), ScheduleOptions.newBuilder().build());
    var response = sdk.service().blockingStub().listScheduleMatchingTimes(ListScheduleMatchingTimesRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE).setScheduleId("times")
        .setStartTime(com.google.protobuf.util.Timestamps.parseUnchecked("2026-11-20T00:00:00Z"))
        .setEndTime(com.google.protobuf.util.Timestamps.parseUnchecked("2026-11-25T00:00:00Z"))
        .build());
    assertThat(response.getStartTimeList()).extracting(com.google.protobuf.util.Timestamps::toString)
        .containsExactly("2026-11-20T09:30:00Z", "2026-11-23T09:30:00Z", "2026-11-24T09:30:00Z");
  }

  @Test
  void aBadCronIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> schedules.createSchedule("bad", schedule(
        ScheduleSpec.newBuilder().setCronExpressions(List.of("61 * * * *")).build(), "now", null, null), ScheduleOptions.newBuilder().build()))
        .hasStackTraceContaining("INVALID_ARGUMENT").hasStackTraceContaining("minute");
  }

  @Test
  void schedulesSurviveARestartAndCatchUp() {
    ScheduleHandle handle = schedules.createSchedule("durable", schedule(everySecond(), "now",
        SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL).build(), null),
        ScheduleOptions.newBuilder().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActions() >= 1);
    server.restart();
    long before = handle.describe().getInfo().getNumActions();
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActions() >= before + 2);
    handle.delete();
  }

  @Test
  void afterDowntimeOnlyTimesWithinTheCatchupWindowAreTaken() {
    ScheduleHandle handle = schedules.createSchedule("catch-up", schedule(everySecond(), "now",
        SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL)
            .setCatchupWindow(Duration.ofSeconds(10)).build(), null),
        ScheduleOptions.newBuilder().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActions() >= 1);
    long actionsBefore = handle.describe().getInfo().getNumActions();

    server.restart(Duration.ofSeconds(16));

    // About 16 times passed while down: the last 10 s of them are taken, the ~6 older ones are missed.
    await().atMost(Duration.ofSeconds(10)).until(() -> handle.describe().getInfo().getNumActionsMissedCatchupWindow() >= 3);
    ScheduleDescription description = handle.describe();
    assertThat(description.getInfo().getNumActionsMissedCatchupWindow()).isBetween(3L, 9L);
    assertThat(description.getInfo().getNumActions() - actionsBefore).isGreaterThanOrEqualTo(8);
    handle.delete();
  }
}
