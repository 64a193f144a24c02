package dev.hourglass.examples.onboarding;

import dev.hourglass.examples.mail.Email;
import dev.hourglass.examples.mail.EmailActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class OnboardingWorkflowImpl implements OnboardingWorkflow {
  private final EmailActivities mail = Workflow.newActivityStub(EmailActivities.class, ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .build())
      .build());

  private boolean activated;
  private String status = "starting";

  @Override
  public String onboard(NewUser user) {
    status = "sending the welcome e-mail";
    mail.send(new Email(user.email(), "Welcome, " + user.name() + "!",
        "Hello " + user.name() + ", welcome aboard. Activate your account to get started."));

    status = "waiting for " + user.email() + " to activate";
    // A durable timer: the wait survives worker and server restarts, whatever its length.
    boolean activatedInTime = Workflow.await(Duration.ofSeconds(user.reminderAfterSeconds()), () -> activated);
    if (activatedInTime) {
      status = "activated";
      return user.email() + " activated";
    }

    status = "sending the reminder";
    mail.send(new Email(user.email(), "Your account is waiting for you",
        "Hi " + user.name() + ", you have not activated your account yet. It takes one click."));
    status = "reminded";
    return user.email() + " was reminded";
  }

  @Override
  public void activated() {
    activated = true;
  }

  @Override
  public String status() {
    return status;
  }
}
