package dev.hourglass.examples.digest;

import static java.util.Objects.requireNonNull;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import java.util.List;

/**
 * The schedule that replaces a cron job: {@code sendDigests} every day at 08:00 UTC. A run still
 * going when the next is due is skipped rather than doubled up.
 */
public final class DigestSchedule {
  public static final String SCHEDULE_ID = "daily-digest";
  public static final String CRON = "0 8 * * *";

  private DigestSchedule() {}

  /** Creates the schedule, or returns the existing one: running the example twice is harmless. */
  public static ScheduleHandle ensure(ScheduleClient schedules, String taskQueue) {
    requireNonNull(schedules, "schedules is null");
    Schedule schedule = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(DailyDigestWorkflow.class)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId("daily-digest").setTaskQueue(taskQueue).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(CRON)).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
    try {
      return schedules.createSchedule(SCHEDULE_ID, schedule, ScheduleOptions.newBuilder().build());
    } catch (ScheduleAlreadyRunningException e) {
      return schedules.getHandle(SCHEDULE_ID);
    }
  }
}
