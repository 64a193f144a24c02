package dev.hourglass.examples.digest;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class DailyDigestWorkflowImpl implements DailyDigestWorkflow {
  private final DigestActivities digests = Workflow.newActivityStub(DigestActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public DigestReport sendDigests() {
    List<String> accounts = digests.activeAccounts();
    String runId = Workflow.getInfo().getWorkflowId();
    Map<String, Promise<String>> children = new LinkedHashMap<>();
    for (String account : accounts) {
      AccountDigestWorkflow child = Workflow.newChildWorkflowStub(AccountDigestWorkflow.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(runId + "/" + account).build());
      children.put(account, Async.function(child::sendDigest, account));
    }
    int sent = 0;
    List<String> failed = new ArrayList<>();
    for (Map.Entry<String, Promise<String>> child : children.entrySet()) {
      try {
        child.getValue().get();
        sent++;
      } catch (ChildWorkflowFailure e) {
        failed.add(child.getKey());
      }
    }
    return new DigestReport(sent, failed);
  }
}
