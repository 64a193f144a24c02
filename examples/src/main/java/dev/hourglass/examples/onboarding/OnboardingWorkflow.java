package dev.hourglass.examples.onboarding;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Welcome e-mail onboarding: send a welcome e-mail (retried until it goes out), then wait —
 * durably, for days if need be — for the user to activate their account; remind them once if they
 * have not.
 */
@WorkflowInterface
public interface OnboardingWorkflow {
  @WorkflowMethod
  String onboard(NewUser user);

  /** The user clicked the activation link. */
  @SignalMethod
  void activated();

  /** What the workflow is doing now, in words. */
  @QueryMethod
  String status();
}
