package dev.hourglass.examples.subscription;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A subscription with a free trial: welcome e-mail, trial, then one charge per billing period (retried
 * when the payment provider fails) until the last period or a cancellation, each ending with its e-mail.
 * The workflow is the subscription's state: no database row, no cron job polling for due renewals.
 */
@WorkflowInterface
public interface SubscriptionWorkflow {
  @WorkflowMethod
  SubscriptionStatus subscribe(SubscriptionTerms terms);

  /** The customer cancels; takes effect at once, in the trial or between charges. */
  @SignalMethod
  void cancel();

  /** Support changes the amount charged from the next period on (a discount, a plan change). */
  @SignalMethod
  void changeAmount(long amountCents);

  @QueryMethod
  SubscriptionStatus status();
}
