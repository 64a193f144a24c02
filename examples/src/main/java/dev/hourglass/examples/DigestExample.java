package dev.hourglass.examples;

import dev.hourglass.examples.digest.AccountDigestWorkflowImpl;
import dev.hourglass.examples.digest.DailyDigestWorkflowImpl;
import dev.hourglass.examples.digest.DigestReport;
import dev.hourglass.examples.digest.DigestSchedule;
import dev.hourglass.examples.digest.SampleAccounts;
import dev.hourglass.examples.mail.OutboxMailer;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.worker.Worker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "digest", mixinStandardHelpOptions = true,
    description = "The daily digest on a schedule (08:00 UTC), one child workflow per account; triggered once now.")
final class DigestExample implements Callable<Integer> {
  static final String TASK_QUEUE = "examples-digest";

  @Mixin Connection.Options connection;

  @Option(names = "--accounts", defaultValue = "5", description = "Accounts that get a digest (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Override
  public Integer call() throws Exception {
    try (Connection server = new Connection(connection)) {
      Worker worker = server.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(DailyDigestWorkflowImpl.class, AccountDigestWorkflowImpl.class);
      worker.registerActivitiesImplementations(new SampleAccounts(accounts), new OutboxMailer(true));
      server.startWorkers();

      ScheduleHandle schedule = DigestSchedule.ensure(server.schedules(), TASK_QUEUE);
      System.out.println("Schedule " + DigestSchedule.SCHEDULE_ID + " runs the digest at '" + DigestSchedule.CRON + "' (UTC)");
      System.out.println("  see it:    ./hourglass schedule describe --schedule-id " + DigestSchedule.SCHEDULE_ID);
      System.out.println("  remove it: ./hourglass schedule delete --schedule-id " + DigestSchedule.SCHEDULE_ID);
      long before = schedule.describe().getInfo().getNumActions();
      schedule.trigger();
      System.out.println("Triggered one run now; waiting for it");
      String workflowId = awaitTriggeredRun(schedule, before);
      System.out.println("  see it in the UI: " + server.uiLink(workflowId));
      DigestReport report = server.client().newUntypedWorkflowStub(workflowId).getResult(DigestReport.class);
      System.out.println("Result: " + report);
      return 0;
    }
  }

  /** The id of the run the trigger started: the schedule lists it among its recent actions. */
  private static String awaitTriggeredRun(ScheduleHandle schedule, long actionsBefore) throws InterruptedException {
    while (true) {
      var info = schedule.describe().getInfo();
      if (info.getNumActions() > actionsBefore && !info.getRecentActions().isEmpty()) {
        var recent = info.getRecentActions();
        return ((ScheduleActionExecutionStartWorkflow) recent.get(recent.size() - 1).getAction()).getWorkflowId();
      }
      Thread.sleep(200);
    }
  }
}
