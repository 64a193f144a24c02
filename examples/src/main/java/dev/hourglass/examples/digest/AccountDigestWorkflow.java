package dev.hourglass.examples.digest;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One account's digest: render it, then e-mail it. */
@WorkflowInterface
public interface AccountDigestWorkflow {
  @WorkflowMethod
  String sendDigest(String accountId);
}
