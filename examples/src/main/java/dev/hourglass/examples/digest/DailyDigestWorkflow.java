package dev.hourglass.examples.digest;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The daily digest, run by a schedule: one child workflow per account, so each account's digest
 * is retried, timed out and shown on its own, and one account's failure does not stop the others.
 */
@WorkflowInterface
public interface DailyDigestWorkflow {
  @WorkflowMethod
  DigestReport sendDigests();
}
