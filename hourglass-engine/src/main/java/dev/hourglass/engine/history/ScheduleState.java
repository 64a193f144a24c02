package dev.hourglass.engine.history;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A schedule, kept as the mutable state of its own internal execution
 * ({@code temporal-sys-scheduler:<id>}, as Temporal names it), so it is cached, locked, fenced and
 * written in one transaction like any execution, and its next action is a durable timer row.
 */
final class ScheduleState {
  String scheduleId = "";
  /** The schedule as described: spec compiled, action, policies, state (paused, notes, remaining actions). */
  Schedule schedule;
  /** Bumped by every change a client makes; UpdateSchedule may name the one it read. */
  long conflictToken;
  long createTimeMillis;
  long updateTimeMillis;
  /** Nominal times up to this one have been taken, skipped or missed. */
  long processedUntilMillis;
  long actionCount;
  long missedCatchupWindow;
  long overlapSkipped;
  long bufferDropped;
  /** Actions waiting for the overlap policy to allow them, oldest first. */
  List<BufferedAction> buffer = new ArrayList<>();
  /** Workflows decided on and being started by the SCHEDULE_ACT transfer task. */
  List<PendingStart> starting = new ArrayList<>();
  /** Workflows this schedule started that have not closed (first run of each chain). */
  List<WorkflowExecution> running = new ArrayList<>();
  /** Running workflows the overlap policy asked to cancel or terminate, not yet done. */
  List<WorkflowExecution> toCancel = new ArrayList<>();
  List<WorkflowExecution> toTerminate = new ArrayList<>();
  /** The last ten actions. */
  List<ScheduleActionResult> recentActions = new ArrayList<>();
  /** Numbers the starts: a start's request id is the schedule's run id and this number. */
  long sequence;
  long nextActionTimerId;
  long actTaskId;

  /** An action to take once the overlap policy allows it. */
  static final class BufferedAction {
    long nominalMillis;
    long actualMillis;
    /** The overlap policy for this action (a trigger or backfill may override the schedule's). */
    int overlapPolicy;
    /** Triggered or backfilled by a client: does not count against remaining actions. */
    boolean manual;
  }

  /** A start decided under the schedule's lock, done by the transfer task outside it. */
  static final class PendingStart {
    long sequence;
    long nominalMillis;
    long actualMillis;
    String workflowId = "";
  }
}
