package dev.hourglass.timers.workflow;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Sleeps until the deadline — woken early when {@code setDeadline} moves it — then calls the
 * webhook through {@link WebhookActivities} with the original service's policy: start-to-close
 * 1 min, schedule-to-close 5 min 10 s, retries after 1 s, 2 s, 4 s, 8 s, at most 5 attempts.
 *
 * <p>A cancel request while waiting ends the workflow as cancelled. Once firing, the call runs in
 * a detached scope: a cancel arriving then cannot interrupt a delivery that may already have
 * reached the receiver, and the timer ends as fired (or failed).
 *
 * <p>The deadline is also kept in the memo ({@value #MEMO_DEADLINE}) so the API can show it while
 * no worker is there to answer a query.
 */
public class TimerWorkflowImpl implements TimerWorkflow {
  /** Failure type of a workflow whose delivery failed for good. */
  public static final String DELIVERY_FAILED = "WebhookDeliveryFailed";
  /** Memo key holding the current deadline (epoch ms). */
  public static final String MEMO_DEADLINE = "deadline";
  /** Memo key holding the webhook URL. */
  public static final String MEMO_URL = "url";

  static final ActivityOptions DELIVERY_OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setScheduleToCloseTimeout(Duration.ofMinutes(5).plusSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumAttempts(5)
          .build())
      .build();

  private final WebhookActivities webhooks = Workflow.newActivityStub(WebhookActivities.class, DELIVERY_OPTIONS);

  private TimerStatus status = TimerStatus.SCHEDULED;
  private long deadline;
  private boolean deadlineChanged;
  private int attempts;
  private String lastError;

  @Override
  public TimerState run(TimerSpec spec) {
    deadline = spec.deadline();
    try {
      awaitDeadline();
      // A cancel that arrived with the deadline already past (in the same workflow task, say,
      // after workers were down) still wins: nothing has been sent yet.
      if (CancellationScope.current().isCancelRequested()) {
        throw new CanceledFailure("timer cancelled before it fired");
      }
    } catch (CanceledFailure e) {
      status = TimerStatus.CANCELLED;
      throw e;
    }
    status = TimerStatus.FIRING;
    String id = Workflow.getInfo().getWorkflowId();
    try {
      CancellationScope delivery = Workflow.newDetachedCancellationScope(() -> attempts = webhooks.deliver(spec.url(), id));
      delivery.run();
    } catch (ActivityFailure e) {
      status = TimerStatus.FAILED;
      recordFailure(e);
      Workflow.getLogger(TimerWorkflowImpl.class).warn("Webhook delivery failed for good: timerId={} attempts={} lastError={}", id, attempts,
          lastError);
      throw ApplicationFailure.newNonRetryableFailure(
          "Webhook delivery to " + spec.url() + "/" + id + " failed: " + lastError, DELIVERY_FAILED, getState());
    }
    status = TimerStatus.FIRED;
    return getState();
  }

  private void awaitDeadline() {
    while (true) {
      long left = deadline - Workflow.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      deadlineChanged = false;
      boolean moved = Workflow.await(Duration.ofMillis(left), () -> deadlineChanged);
      if (moved) {
        Workflow.upsertMemo(Map.of(MEMO_DEADLINE, deadline));
      }
    }
  }

  /** The last attempt's failure is the cause (of the timeout, when the time ran out). */
  private void recordFailure(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    while (cause != null) {
      if (cause instanceof ApplicationFailure application) {
        lastError = application.getOriginalMessage();
        if (application.getDetails() != null && application.getDetails().getSize() > 0) {
          attempts = application.getDetails().get(Integer.class);
        }
        return;
      }
      if (cause instanceof TimeoutFailure timeout && timeout.getCause() == null) {
        lastError = "delivery timed out (" + timeout.getTimeoutType() + ")";
        return;
      }
      cause = cause.getCause();
    }
    lastError = failure.getCause() instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : String.valueOf(failure.getMessage());
  }

  @Override
  public void setDeadline(DeadlineChange change) {
    if (status != TimerStatus.SCHEDULED) {
      return;
    }
    deadline = change.newDeadline();
    deadlineChanged = true;
  }

  @Override
  public long getDeadline() {
    return deadline;
  }

  @Override
  public TimerState getState() {
    return new TimerState(status, deadline, attempts, lastError);
  }
}
