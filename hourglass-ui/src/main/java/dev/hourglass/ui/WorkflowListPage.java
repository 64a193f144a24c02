package dev.hourglass.ui;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workflows page: executions matching the list filter typed in the search box, narrowed by the
 * status and type quick filters, a page at a time, with counts by status. Everything it shows
 * comes from ListWorkflowExecutions and CountWorkflowExecutions.
 */
final class WorkflowListPage {
  static final int PAGE_SIZE = 25;
  private static final Pattern ORDER_BY = Pattern.compile("(?i)\\s+order\\s+by\\s+.*$|^\\s*order\\s+by\\s+.*$", Pattern.DOTALL);

  private final WorkflowServiceStubs service;

  WorkflowListPage(WorkflowServiceStubs service) {
    this.service = requireNonNull(service, "service is null");
  }

  /** The model of {@code workflows.peb}. */
  Map<String, Object> model(String namespace, Request request) {
    String userQuery = request.param("query");
    String status = request.param("status");
    String type = request.param("type");
    String pageToken = request.param("page");
    Instant now = Instant.now();

    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("query", userQuery);
    filters.put("status", status);
    filters.put("type", type);
    Map<String, Object> model = new HashMap<>();
    model.put("namespace", namespace);
    model.put("query", userQuery);
    model.put("status", status);
    model.put("type", type);
    model.put("statuses", Statuses.SHOWN.stream().map(Statuses::of).toList());
    model.put("selfLink", Links.workflows(namespace, with(filters, "page", pageToken)));
    ListWorkflowExecutionsResponse page;
    try {
      page = service.blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
          .setNamespace(namespace)
          .setQuery(combine(userQuery, status, type))
          .setPageSize(PAGE_SIZE)
          .setNextPageToken(ByteString.copyFrom(Base64.getUrlDecoder().decode(pageToken)))
          .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
        throw e;
      }
      // A filter with a typo: say why on the page, with the search box still holding it.
      model.put("queryError", e.getStatus().getDescription());
      model.put("rows", List.of());
      model.put("counts", List.of());
      model.put("autoRefresh", false);
      return model;
    }
    List<Row> rows = new ArrayList<>();
    for (WorkflowExecutionInfo info : page.getExecutionsList()) {
      rows.add(new Row(
          Statuses.of(info.getStatus()),
          info.getExecution().getWorkflowId(),
          info.getExecution().getRunId(),
          info.getType().getName(),
          When.of(info.getStartTime(), now),
          When.of(info.getCloseTime(), now),
          info.hasCloseTime() ? Durations.between(info.getStartTime(), info.getCloseTime()) : null,
          info.getTaskQueue(),
          Links.workflow(namespace, info.getExecution().getWorkflowId(), info.getExecution().getRunId()),
          Links.workflows(namespace, with(with(filters, "type", info.getType().getName()), "page", ""))));
    }

    model.put("rows", rows);
    model.put("counts", counts(namespace, userQuery, type, status, filters));
    model.put("firstPage", !pageToken.isEmpty() ? Links.workflows(namespace, filters) : null);
    model.put("nextPage", page.getNextPageToken().isEmpty() ? null
        : Links.workflows(namespace, with(filters, "page", Base64.getUrlEncoder().withoutPadding().encodeToString(page.getNextPageToken().toByteArray()))));
    model.put("autoRefresh", pageToken.isEmpty());
    return model;
  }

  /**
   * Counts by status of what the search box and the type filter match (not the status filter:
   * the counts are how one chooses it), each a link that filters on its status.
   */
  private List<Count> counts(String namespace, String userQuery, String type, String activeStatus, Map<String, String> filters) {
    CountWorkflowExecutionsResponse response = service.blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace(namespace)
        .setQuery((withoutOrderBy(combine(userQuery, "", type)) + " GROUP BY ExecutionStatus").trim())
        .build());
    Map<String, Long> byStatus = new HashMap<>();
    for (CountWorkflowExecutionsResponse.AggregationGroup group : response.getGroupsList()) {
      if (group.getGroupValuesCount() > 0) {
        byStatus.put(PayloadText.shortText(group.getGroupValues(0)), group.getCount());
      }
    }
    List<Count> counts = new ArrayList<>();
    counts.add(new Count("All", "status-all", response.getCount(), Links.workflows(namespace, with(filters, "status", "")), activeStatus.isEmpty()));
    for (WorkflowExecutionStatus status : Statuses.SHOWN) {
      String name = Statuses.name(status);
      counts.add(new Count(Statuses.label(status), Statuses.cssClass(status), byStatus.getOrDefault(name, 0L),
          Links.workflows(namespace, with(filters, "status", name)), name.equals(activeStatus)));
    }
    return counts;
  }

  /** The user's filter AND the quick filters; an ORDER BY the user wrote stays at the end. */
  static String combine(String userQuery, String status, String type) {
    List<String> parts = new ArrayList<>();
    String orderBy = "";
    Matcher matcher = ORDER_BY.matcher(userQuery);
    String filter = userQuery;
    if (matcher.find()) {
      orderBy = " " + matcher.group().trim();
      filter = userQuery.substring(0, matcher.start());
    }
    if (!filter.isBlank()) {
      parts.add(status.isEmpty() && type.isEmpty() ? filter.trim() : "(" + filter.trim() + ")");
    }
    if (!status.isEmpty()) {
      parts.add("ExecutionStatus = " + quote(status));
    }
    if (!type.isEmpty()) {
      parts.add("WorkflowType = " + quote(type));
    }
    return (String.join(" AND ", parts) + orderBy).trim();
  }

  private static String withoutOrderBy(String query) {
    return ORDER_BY.matcher(query).replaceFirst("").trim();
  }

  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static Map<String, String> with(Map<String, String> parameters, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(parameters);
    copy.put(name, value);
    return copy;
  }

  /** One execution in the table. */
  /** @param typeLink the list filtered on this row's workflow type: a quick filter one click away */
  record Row(Statuses.Status status, String workflowId, String runId, String type, When start, When close, String duration,
      String taskQueue, String link, String typeLink) {
    public String shortRunId() {
      return runId.length() > 8 ? runId.substring(0, 8) + "…" : runId;
    }
  }

  /** One status's count, a link filtering on it. */
  record Count(String label, String css, long count, String link, boolean active) {
    public String labelLower() {
      return label.toLowerCase(Locale.ROOT);
    }
  }
}
