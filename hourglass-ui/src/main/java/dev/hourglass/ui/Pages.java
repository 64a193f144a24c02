package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Routes a request to its page. The URL shapes are the deep links (see docs/ui.md):
 * <pre>
 *   /namespaces/{ns}/workflows                         list (query, status, type, page)
 *   /namespaces/{ns}/workflows/{workflowId}[/{runId}]  one run (the latest without a run id)
 *   POST …/{runId}/{signal|query|cancel|terminate|reset}
 *   /namespaces/{ns}/schedules[/{scheduleId}]          POST …/{pause|unpause|trigger}
 *   /namespaces/{ns}/timers                            the webhook timer service's timers
 * </pre>
 */
final class Pages {
  static final String DEFAULT_NAMESPACE = "default";
  private static final String OUTCOME_PARAMETER = "outcome";
  private static final String HTMX_PATH = "META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js";

  private final WorkflowServiceStubs service;
  private final Templates templates;
  private final WorkflowListPage workflowList;
  private final WorkflowPage workflow;
  private final WorkflowActions actions;
  private final SchedulePages schedules;
  private final TimersPage timers;
  private final Flashes flashes = new Flashes();

  Pages(WorkflowServiceStubs service, Templates templates) {
    this.service = requireNonNull(service, "service is null");
    this.templates = requireNonNull(templates, "templates is null");
    this.workflowList = new WorkflowListPage(service);
    this.workflow = new WorkflowPage(service);
    this.actions = new WorkflowActions(service);
    this.schedules = new SchedulePages(service);
    this.timers = new TimersPage(service);
  }

  Response serve(Request request) {
    List<String> path = request.segments();
    if (path.isEmpty()) {
      return Response.redirect(Links.workflows(DEFAULT_NAMESPACE));
    }
    if (path.get(0).equals("static") && path.size() == 2) {
      return staticFile(path.get(1));
    }
    if (!path.get(0).equals("namespaces") || path.size() < 3) {
      return path.size() == 2 && path.get(0).equals("namespaces")
          ? Response.redirect(Links.workflows(path.get(1)))
          : error(404, "No such page: /" + String.join("/", path));
    }
    String namespace = path.get(1);
    List<String> rest = path.subList(2, path.size());
    return switch (rest.get(0)) {
      case "workflows" -> workflows(namespace, rest.subList(1, rest.size()), request);
      case "schedules" -> schedules(namespace, rest.subList(1, rest.size()), request);
      case "timers" -> page("timers", namespace, "timers", timers.model(namespace));
      default -> error(404, "No such page: /" + String.join("/", path));
    };
  }

  private Response workflows(String namespace, List<String> rest, Request request) {
    if (rest.isEmpty()) {
      return page("workflows", namespace, "workflows", workflowList.model(namespace, request));
    }
    String workflowId = rest.get(0);
    String runId = rest.size() > 1 ? rest.get(1) : "";
    if (rest.size() == 3) {
      if (!request.isPost()) {
        return Response.redirect(Links.workflow(namespace, workflowId, runId));
      }
      WorkflowActions.Outcome outcome = actions.run(rest.get(2), namespace,
          WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build(), request);
      return afterAction(Links.workflow(namespace, workflowId, runId), outcome);
    }
    if (rest.size() > 3) {
      return error(404, "No such page");
    }
    return page("workflow", namespace, "workflows", withOutcome(workflow.model(namespace, workflowId, runId), request));
  }

  private Response schedules(String namespace, List<String> rest, Request request) {
    if (rest.isEmpty()) {
      return page("schedules", namespace, "schedules", schedules.listModel(namespace));
    }
    String scheduleId = rest.get(0);
    if (rest.size() == 2) {
      if (!request.isPost()) {
        return Response.redirect(Links.schedule(namespace, scheduleId));
      }
      return afterAction(Links.schedule(namespace, scheduleId), schedules.act(rest.get(1), namespace, scheduleId, request));
    }
    return page("schedule", namespace, "schedules", withOutcome(schedules.model(namespace, scheduleId), request));
  }

  /** Post, redirect, get: the page shows the outcome, and reloading it does not act again. */
  private Response afterAction(String page, WorkflowActions.Outcome outcome) {
    return Response.redirect(Links.withQuery(page, Map.of(OUTCOME_PARAMETER, flashes.put(outcome))));
  }

  private Map<String, Object> withOutcome(Map<String, Object> model, Request request) {
    flashes.get(request.param(OUTCOME_PARAMETER)).ifPresent(outcome -> model.put("outcome", outcome));
    return model;
  }

  /** Renders a page inside the layout: the namespace switcher and the navigation know where they are. */
  private Response page(String template, String namespace, String section, Map<String, Object> model) {
    Map<String, Object> full = new HashMap<>(model);
    full.put("namespace", namespace);
    full.put("section", section);
    full.put("namespaces", namespaces(namespace));
    return Response.html(templates.render(template, full));
  }

  Response error(int status, String message) {
    Map<String, Object> model = new HashMap<>();
    model.put("message", message);
    model.put("statusCode", status);
    model.put("namespace", DEFAULT_NAMESPACE);
    model.put("namespaces", List.of(DEFAULT_NAMESPACE));
    return Response.html(status, templates.render("error", model));
  }

  /** Every namespace of the server, for the switcher; the current one even if the server does not list it. */
  private List<String> namespaces(String current) {
    List<String> names = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      ListNamespacesResponse page = service.blockingStub().listNamespaces(ListNamespacesRequest.newBuilder()
          .setPageSize(100).setNextPageToken(token).build());
      for (var namespace : page.getNamespacesList()) {
        NamespaceInfo info = namespace.getNamespaceInfo();
        names.add(info.getName());
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    if (!names.contains(current)) {
      names.add(current);
    }
    names.remove("temporal-system");
    return names;
  }

  private static Response staticFile(String name) {
    return switch (name) {
      case "app.css" -> staticResponse("dev/hourglass/ui/static/app.css", "text/css; charset=utf-8");
      case "htmx.min.js" -> staticResponse(HTMX_PATH, "text/javascript; charset=utf-8");
      default -> new Response(404, "text/plain; charset=utf-8", "not found".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    };
  }

  private static Response staticResponse(String resource, String contentType) {
    byte[] body = HourglassUi.resource(resource);
    if (body == null) {
      throw new IllegalStateException("missing from the jar: " + resource);
    }
    return new Response(200, contentType, body, null);
  }

  /** The htmx WebJar's version, from its Maven metadata, so a version bump in the pom needs no code change. */
  private static String htmxVersion() {
    try (InputStream in = Pages.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the htmx WebJar is not on the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
