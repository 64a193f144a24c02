package dev.hourglass.cli.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.hourglass.cli.client.ClientCommand;
import dev.hourglass.cli.client.ExitCodes;
import dev.hourglass.cli.client.Output;
import dev.hourglass.cli.client.Payloads;
import dev.hourglass.cli.client.Session;
import io.grpc.StatusRuntimeException;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.MetricsTag;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hourglass workflow show}: a run's event history. With {@code --follow} it keeps printing
 * events as they are written (long polls) until the run closes.
 */
@Command(name = "show", description = {"Print a workflow's event history.",
    "With --follow, keep printing new events until the workflow closes; -o json then prints one event per line."},
    sortOptions = false)
final class ShowCommand extends ClientCommand {
  private static final String ROW = "%6s  %-24s  %-42s  %s";

  @Mixin
  ExecutionOptions execution;

  @Option(names = {"-f", "--follow"}, description = "Wait for and print new events until the workflow closes.")
  boolean follow;

  @Override
  protected int run(Session session) {
    if (session.output().json() && !follow) {
      session.output().printJson(History.newBuilder().addAllEvents(readAll(session)).build());
      return ExitCodes.OK;
    }
    if (!session.output().json()) {
      session.output().line(String.format(ROW, "ID", "Time", "Type", "Details").stripTrailing());
    }
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page = page(session, token);
      for (HistoryEvent event : page.getHistory().getEventsList()) {
        print(session, event);
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ExitCodes.OK;
  }

  private java.util.List<HistoryEvent> readAll(Session session) {
    java.util.List<HistoryEvent> events = new java.util.ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page = page(session, token);
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }

  private GetWorkflowExecutionHistoryResponse page(Session session, ByteString token) {
    GetWorkflowExecutionHistoryRequest request = GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(session.namespace())
        .setExecution(execution.execution())
        .setNextPageToken(token)
        .setWaitNewEvent(follow)
        .build();
    WorkflowServiceBlockingStub stub = session.connection().workflowService();
    while (true) {
      try {
        return follow ? stub.withOption(MetricsTag.HISTORY_LONG_POLL_CALL_OPTIONS_KEY, true).getWorkflowExecutionHistory(request)
            : stub.getWorkflowExecutionHistory(request);
      } catch (StatusRuntimeException e) {
        if (!follow || !RunOutcome.isLongPollExpiry(e)) {
          throw e;
        }
      }
    }
  }

  private static void print(Session session, HistoryEvent event) {
    if (session.output().json()) {
      session.output().printJsonLine(event);
      return;
    }
    session.output().line(String.format(ROW, event.getEventId(), Output.time(event.getEventTime()),
        Output.enumName(event.getEventType(), "EVENT_TYPE_"), details(session, event)).stripTrailing());
  }

  /** The event's attributes as one line of JSON, payloads decoded. */
  private static String details(Session session, HistoryEvent event) {
    JsonNode tree = session.output().toJsonTree(event);
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().endsWith("Attributes")) {
        return Payloads.toText(field.getValue());
      }
    }
    return "";
  }
}
