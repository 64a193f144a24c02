package dev.hourglass.cli.workflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hourglass.cli.client.Session;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A workflow this command started (or found running, with UseExisting). */
record Started(String workflowId, String runId, String type, String namespace, String taskQueue) {
  Started {
    requireNonNull(workflowId, "workflowId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(type, "type is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(taskQueue, "taskQueue is null");
  }

  static Started start(Session session, StartOptions options) {
    StartWorkflowExecutionRequest request = options.request(session.namespace(), session.identity());
    StartWorkflowExecutionResponse response = session.connection().workflowService().startWorkflowExecution(request);
    return new Started(request.getWorkflowId(), response.getRunId(), request.getWorkflowType().getName(), request.getNamespace(),
        request.getTaskQueue().getName());
  }

  Map<String, String> card() {
    Map<String, String> card = new LinkedHashMap<>();
    card.put("WorkflowId", workflowId);
    card.put("RunId", runId);
    card.put("Type", type);
    card.put("Namespace", namespace);
    card.put("TaskQueue", taskQueue);
    return card;
  }

  ObjectNode json() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    card().forEach((key, value) -> node.put(Character.toLowerCase(key.charAt(0)) + key.substring(1), value));
    return node;
  }
}
