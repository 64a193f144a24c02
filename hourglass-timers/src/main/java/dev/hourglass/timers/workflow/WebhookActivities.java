package dev.hourglass.timers.workflow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Calls webhooks. */
@ActivityInterface
public interface WebhookActivities {
  /**
   * POSTs an empty body to {@code url + "/" + timerId}. A 2xx answer is success; anything else
   * (another status, a refused connection, a timeout) fails the attempt so the server retries it.
   * A failed attempt's {@code ApplicationFailure} carries the attempt number as its details.
   *
   * @return the attempt number that succeeded (1 for the first)
   */
  @ActivityMethod(name = "deliverWebhook")
  int deliver(String url, String timerId);
}
