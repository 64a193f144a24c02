package dev.hourglass.examples.subscription;

import dev.hourglass.examples.mail.Email;
import dev.hourglass.examples.mail.EmailActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class SubscriptionWorkflowImpl implements SubscriptionWorkflow {
  private final ActivityOptions retried = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .build())
      .build();
  private final EmailActivities mail = Workflow.newActivityStub(EmailActivities.class, retried);
  private final BillingActivities billing = Workflow.newActivityStub(BillingActivities.class, retried);

  private String phase = "starting";
  private int periodsBilled;
  private long totalCharged;
  private long amount;
  private boolean cancelled;

  @Override
  public SubscriptionStatus subscribe(SubscriptionTerms terms) {
    amount = terms.amountCents();
    mail.send(new Email(terms.email(), "Welcome to your free trial", "Your trial runs for " + terms.trialSeconds() + " seconds."));

    phase = "trial";
    if (Workflow.await(Duration.ofSeconds(terms.trialSeconds()), () -> cancelled)) {
      phase = "cancelled during the trial";
      mail.send(new Email(terms.email(), "Your trial is cancelled", "Sorry to see you go. Nothing was charged."));
      return status();
    }

    while (periodsBilled < terms.maxBillingPeriods()) {
      phase = "billing period " + (periodsBilled + 1);
      billing.charge(terms.customerId(), periodsBilled + 1, amount);
      periodsBilled++;
      totalCharged += amount;
      if (Workflow.await(Duration.ofSeconds(terms.billingPeriodSeconds()), () -> cancelled)) {
        phase = "cancelled after " + periodsBilled + " billing periods";
        mail.send(new Email(terms.email(), "Your subscription is cancelled",
            "You were charged for " + periodsBilled + " periods. No further charges will be made."));
        return status();
      }
    }
    phase = "ended";
    mail.send(new Email(terms.email(), "Your subscription has ended", "Thank you for " + periodsBilled + " periods with us."));
    return status();
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public void changeAmount(long amountCents) {
    amount = amountCents;
  }

  @Override
  public SubscriptionStatus status() {
    return new SubscriptionStatus(phase, periodsBilled, totalCharged, amount, cancelled);
  }
}
