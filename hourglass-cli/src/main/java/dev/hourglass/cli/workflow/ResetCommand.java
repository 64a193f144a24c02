package dev.hourglass.cli.workflow;

import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hourglass workflow reset}: starts a new run from a point in an old run's history, the
 * old run terminated; by event id or, as {@code temporal} does, the first or last workflow task.
 */
@Command(name = "reset", description = {"Reset a workflow to a workflow task: a new run replays the history up to that point",
    "and continues from there; the old run is terminated if it still runs."}, sortOptions = false)
final class ResetCommand extends ClientCommand {
  @Mixin
  ExecutionOptions execution;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, recorded in the old run's termination.")
  String reason;

  static final class Target {
    @Option(names = {"-e", "--event-id"}, paramLabel = "ID",
        description = "Id of a WorkflowTaskCompleted, WorkflowTaskFailed or WorkflowTaskTimedOut event to reset to.")
    Long eventId;

    @Option(names = "--type", paramLabel = "TYPE",
        description = "FirstWorkflowTask or LastWorkflowTask of the run, or LastContinuedAsNew: the last workflow task of the run before it.")
    String type;
  }

  @Override
  protected int run(Session session) {
    ResetPoint point = target.eventId != null ? new ResetPoint(execution.execution(), target.eventId) : resetPoint(session, target.type);
    ResetWorkflowExecutionResponse response = session.connection().workflowService().resetWorkflowExecution(
        ResetWorkflowExecutionRequest.newBuilder()
            .setNamespace(session.namespace())
            .setWorkflowExecution(point.run())
            .setReason(reason)
            .setWorkflowTaskFinishEventId(point.eventId())
            .setRequestId(UUID.randomUUID().toString())
            .setIdentity(session.identity())
            .build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Reset workflow to event " + point.eventId() + ", new run: " + response.getRunId());
    }
    return ExitCodes.OK;
  }

  /** The run to reset and the WorkflowTaskCompleted event to reset it to. */
  private record ResetPoint(WorkflowExecution run, long eventId) {}

  /**
   * Where {@code --type} points, as {@code temporal workflow reset} finds it: the first or last
   * completed workflow task of the run, or, for LastContinuedAsNew, the last completed workflow
   * task of the run that continued as new into this one.
   */
  private ResetPoint resetPoint(Session session, String type) {
    switch (type.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
      case "firstworkflowtask":
        return new ResetPoint(execution.execution(), completedWorkflowTask(session, execution.execution(), true));
      case "lastworkflowtask":
        return new ResetPoint(execution.execution(), completedWorkflowTask(session, execution.execution(), false));
      case "lastcontinuedasnew":
        String previousRunId = events(session, execution.execution(), 1).get(0)
            .getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        if (previousRunId.isEmpty()) {
          throw usage("The run did not start by continue-as-new: there is no previous run to reset");
        }
        WorkflowExecution previous = WorkflowExecution.newBuilder().setWorkflowId(execution.workflowId).setRunId(previousRunId).build();
        return new ResetPoint(previous, completedWorkflowTask(session, previous, false));
      default:
        throw usage("Invalid --type '" + type + "': expected FirstWorkflowTask, LastWorkflowTask or LastContinuedAsNew");
    }
  }

  /** The first or last completed workflow task in a run's history. */
  private long completedWorkflowTask(Session session, WorkflowExecution run, boolean first) {
    long found = 0;
    for (HistoryEvent event : events(session, run, Integer.MAX_VALUE)) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        if (first) {
          return event.getEventId();
        }
        found = event.getEventId();
      }
    }
    if (found == 0) {
      throw usage("The workflow has no completed workflow task to reset to");
    }
    return found;
  }

  /** A run's history, all pages, stopping once {@code atLeast} events were read. */
  private static List<HistoryEvent> events(Session session, WorkflowExecution run, int atLeast) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page = session.connection().workflowService().getWorkflowExecutionHistory(
          GetWorkflowExecutionHistoryRequest.newBuilder()
              .setNamespace(session.namespace()).setExecution(run).setNextPageToken(token).build());
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty() && events.size() < atLeast);
    return events;
  }
}
