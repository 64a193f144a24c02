package dev.hourglass.examples;

import dev.hourglass.examples.mail.OutboxMailer;
import dev.hourglass.examples.onboarding.NewUser;
import dev.hourglass.examples.onboarding.OnboardingWorkflow;
import dev.hourglass.examples.onboarding.OnboardingWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "onboarding", mixinStandardHelpOptions = true,
    description = "Welcome e-mail (retried), a durable wait for activation, a reminder if the user did not activate.")
final class OnboardingExample implements Callable<Integer> {
  static final String TASK_QUEUE = "examples-onboarding";

  @Mixin Connection.Options connection;

  @Option(names = "--email", defaultValue = "ada@example.com", description = "The new user's address (default: ${DEFAULT-VALUE}).")
  String email;

  @Option(names = "--reminder-after", defaultValue = "60", description = "Seconds to wait for activation before the reminder (default: ${DEFAULT-VALUE}).")
  long reminderAfterSeconds;

  @Override
  public Integer call() throws Exception {
    try (Connection server = new Connection(connection)) {
      Worker worker = server.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(OnboardingWorkflowImpl.class);
      worker.registerActivitiesImplementations(new OutboxMailer(true));
      server.startWorkers();

      String workflowId = "onboarding-" + email;
      OnboardingWorkflow onboarding = server.client().newWorkflowStub(OnboardingWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TASK_QUEUE).build());
      WorkflowClient.start(onboarding::onboard, new NewUser(email, email.substring(0, email.indexOf('@')), reminderAfterSeconds));
      System.out.println("Started onboarding workflow " + workflowId);
      System.out.println("  see it in the UI: " + server.uiLink(workflowId));
      System.out.println("  activate the user (no reminder then): ./hourglass workflow signal --workflow-id " + workflowId + " --name activated");
      String result = Progress.follow(WorkflowStub.fromTyped(onboarding).getResultAsync(String.class), onboarding::status);
      System.out.println("Result: " + result);
      return 0;
    }
  }
}
