package dev.hourglass.examples.digest;

import dev.hourglass.examples.mail.Email;
import dev.hourglass.examples.mail.EmailActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class AccountDigestWorkflowImpl implements AccountDigestWorkflow {
  private final ActivityOptions retried = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumAttempts(5)
          .build())
      .build();
  private final DigestActivities digests = Workflow.newActivityStub(DigestActivities.class, retried);
  private final EmailActivities mail = Workflow.newActivityStub(EmailActivities.class, retried);

  @Override
  public String sendDigest(String accountId) {
    String body = digests.renderDigest(accountId);
    return mail.send(new Email(accountId + "@example.com", "Your daily digest", body));
  }
}
