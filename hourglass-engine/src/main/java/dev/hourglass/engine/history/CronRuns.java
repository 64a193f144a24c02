package dev.hourglass.engine.history;

import com.google.protobuf.util.Durations;
import dev.hourglass.engine.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Cron workflows (Temporal's cron_schedule): each run's first workflow task waits for its cron
 * time; when a run closes — completed, or failed or timed out with no retry left — the next run
 * is started at the next cron time. Fire times missed while a run was running are skipped. Pure
 * functions over {@link CronSchedule}.
 */
final class CronRuns {
  private CronRuns() {}

  /** The first run's wait for the first cron time after {@code nowMillis}. */
  static long firstRunBackoffMillis(String cronSchedule, long nowMillis) {
    Instant now = Instant.ofEpochMilli(nowMillis);
    return CronSchedule.parse(cronSchedule).backoff(now, now).map(Duration::toMillis).orElse(0L);
  }

  /**
   * The wait before the next cron run after the run of {@code state}, counted from the time that
   * run was scheduled for; empty when the workflow has no cron schedule, the schedule has no next
   * time, or the next time is past the workflow execution timeout (the chain ends instead of
   * starting a run that could only time out).
   */
  static OptionalLong nextRunBackoffMillis(MutableState state, long nowMillis) {
    String spec = state.startedAttributes.getCronSchedule();
    if (spec.isEmpty()) {
      return OptionalLong.empty();
    }
    long scheduledMillis = state.startTimeMillis + Durations.toMillis(state.startedAttributes.getFirstWorkflowTaskBackoff());
    Optional<Duration> backoff = CronSchedule.parse(spec).backoff(Instant.ofEpochMilli(scheduledMillis), Instant.ofEpochMilli(nowMillis));
    if (backoff.isEmpty()) {
      return OptionalLong.empty();
    }
    long backoffMillis = backoff.get().toMillis();
    long expiration = WorkflowRetries.expirationMillis(state);
    if (expiration > 0 && nowMillis + backoffMillis >= expiration) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(backoffMillis);
  }
}
