package dev.hourglass.examples;

import dev.hourglass.examples.mail.OutboxMailer;
import dev.hourglass.examples.subscription.FlakyPaymentProvider;
import dev.hourglass.examples.subscription.SubscriptionStatus;
import dev.hourglass.examples.subscription.SubscriptionTerms;
import dev.hourglass.examples.subscription.SubscriptionWorkflow;
import dev.hourglass.examples.subscription.SubscriptionWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "subscription", mixinStandardHelpOptions = true,
    description = "Free trial, then a charge per billing period (retried), cancel and change-amount signals, a status query.")
final class SubscriptionExample implements Callable<Integer> {
  static final String TASK_QUEUE = "examples-subscription";

  @Mixin Connection.Options connection;

  @Option(names = "--customer", defaultValue = "customer-42", description = "Customer id (default: ${DEFAULT-VALUE}).")
  String customerId;

  @Option(names = "--trial", defaultValue = "30", description = "Trial length in seconds (default: ${DEFAULT-VALUE}).")
  long trialSeconds;

  @Option(names = "--period", defaultValue = "20", description = "Billing period in seconds (default: ${DEFAULT-VALUE}).")
  long periodSeconds;

  @Option(names = "--periods", defaultValue = "3", description = "Billing periods before the subscription ends (default: ${DEFAULT-VALUE}).")
  int periods;

  @Override
  public Integer call() throws Exception {
    try (Connection server = new Connection(connection)) {
      Worker worker = server.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(SubscriptionWorkflowImpl.class);
      worker.registerActivitiesImplementations(new OutboxMailer(false), new FlakyPaymentProvider());
      server.startWorkers();

      String workflowId = "subscription-" + customerId;
      SubscriptionWorkflow subscription = server.client().newWorkflowStub(SubscriptionWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TASK_QUEUE).build());
      WorkflowClient.start(subscription::subscribe,
          new SubscriptionTerms(customerId, customerId + "@example.com", trialSeconds, periodSeconds, periods, 999));
      System.out.println("Started subscription workflow " + workflowId);
      System.out.println("  see it in the UI: " + server.uiLink(workflowId));
      System.out.println("  cancel it:        ./hourglass workflow signal --workflow-id " + workflowId + " --name cancel");
      System.out.println("  ask its status:   ./hourglass workflow query --workflow-id " + workflowId + " --type status");
      SubscriptionStatus result = Progress.follow(WorkflowStub.fromTyped(subscription).getResultAsync(SubscriptionStatus.class),
          subscription::status);
      System.out.println("Result: " + result);
      return 0;
    }
  }
}
