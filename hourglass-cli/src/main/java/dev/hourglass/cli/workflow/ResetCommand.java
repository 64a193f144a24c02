package dev.hourglass.cli.workflow;

import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Session;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse;
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

    @Option(names = "--type", paramLabel = "TYPE", description = "Reset to the FirstWorkflowTask or LastWorkflowTask.")
    String type;
  }

  @Override
  protected int run(Session session) {
    long eventId = target.eventId != null ? target.eventId : workflowTaskEventId(session, target.type);
    ResetWorkflowExecutionResponse response = session.connection().workflowService().resetWorkflowExecution(
        ResetWorkflowExecutionRequest.newBuilder()
            .setNamespace(session.namespace())
            .setWorkflowExecution(execution.execution())
            .setReason(reason)
            .setWorkflowTaskFinishEventId(eventId)
            .setRequestId(UUID.randomUUID().toString())
            .setIdentity(session.identity())
            .build());
    if (session.output().json()) {
      session.output().printJson(response);
    } else {
      session.output().line("Reset workflow to event " + eventId + ", new run: " + response.getRunId());
    }
    return ExitCodes.OK;
  }

  /** The first or last completed workflow task in the run's history. */
  private long workflowTaskEventId(Session session, String type) {
    boolean first = switch (type.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
      case "firstworkflowtask" -> true;
      case "lastworkflowtask" -> false;
      default -> throw usage("Invalid --type '" + type + "': expected FirstWorkflowTask or LastWorkflowTask");
    };
    long found = 0;
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page = session.connection().workflowService().getWorkflowExecutionHistory(
          GetWorkflowExecutionHistoryRequest.newBuilder()
              .setNamespace(session.namespace()).setExecution(execution.execution()).setNextPageToken(token).build());
      for (HistoryEvent event : page.getHistory().getEventsList()) {
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
          if (first) {
            return event.getEventId();
          }
          found = event.getEventId();
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    if (found == 0) {
      throw usage("The workflow has no completed workflow task to reset to");
    }
    return found;
  }
}
