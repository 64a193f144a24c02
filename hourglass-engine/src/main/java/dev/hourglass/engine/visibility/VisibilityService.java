package dev.hourglass.engine.visibility;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.hourglass.engine.visibility.ListQuery.And;
import dev.hourglass.engine.visibility.ListQuery.Between;
import dev.hourglass.engine.visibility.ListQuery.Compare;
import dev.hourglass.engine.visibility.ListQuery.Condition;
import dev.hourglass.engine.visibility.ListQuery.IsNull;
import dev.hourglass.engine.visibility.ListQuery.Literal;
import dev.hourglass.engine.visibility.ListQuery.Name;
import dev.hourglass.engine.visibility.ListQuery.Operator;
import dev.hourglass.store.VisibilityQuery;
import dev.hourglass.store.VisibilityQuery.SortColumn;
import dev.hourglass.store.VisibilityRecord;
import dev.hourglass.store.VisibilityStore;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Lists and counts workflow runs of a namespace: compiles the filter, reads a page from the
 * visibility store and turns rows into {@code WorkflowExecutionInfo}. Pages are keyset pages:
 * the token holds the last row's position in the order.
 */
public final class VisibilityService {
  /** Temporal's default and largest visibility page. */
  static final int MAX_PAGE_SIZE = 1000;
  /** The highest {@code WorkflowExecutionStatus} number of a run (TimedOut). */
  static final int LAST_STATUS = 7;

  private final VisibilityStore store;
  private final SearchAttributeRegistry registry;

  /** One page of runs and the token of the next ({@code empty} on the last page). */
  public record Page(List<WorkflowExecutionInfo> executions, ByteString nextPageToken) {
    public Page {
      executions = List.copyOf(executions);
      requireNonNull(nextPageToken, "nextPageToken is null");
    }
  }

  public VisibilityService(VisibilityStore store, SearchAttributeRegistry registry) {
    this.store = requireNonNull(store, "store is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  public SearchAttributeRegistry registry() {
    return registry;
  }

  /** ListWorkflowExecutions / ScanWorkflowExecutions. */
  public Page list(String namespaceId, String query, int pageSize, ByteString pageToken) {
    ListQuery parsed = ListQueryParser.parse(query);
    CompiledQuery compiled = ListQueryCompiler.compile(parsed, namespaceId, name -> registry.indexedType(namespaceId, name));
    if (compiled.groupByStatus()) {
      throw new dev.hourglass.common.InvalidArgumentException("invalid query: GROUP BY is supported only by CountWorkflowExecutions");
    }
    return page(namespaceId, compiled, (namespaceId + "\n" + query).hashCode(), pageSize, pageToken);
  }

  /**
   * ListOpenWorkflowExecutions / ListClosedWorkflowExecutions: their typed filters as a condition.
   * A filter left at its default (no times, empty id or type, no status) does not filter.
   */
  public Page listByFilters(String namespaceId, boolean open, StartTimeFilter startTime, WorkflowExecutionFilter execution,
      WorkflowTypeFilter type, Optional<WorkflowExecutionStatus> status, int pageSize, ByteString pageToken) {
    List<Condition> conditions = new ArrayList<>();
    conditions.add(open ? new Compare(name("ExecutionStatus"), Operator.EQ, literal("Running"))
        : new IsNull(name("CloseTime"), true));
    if (startTime.hasEarliestTime() || startTime.hasLatestTime()) {
      conditions.add(new Between(name("StartTime"),
          nanos(startTime.hasEarliestTime() ? Timestamps.toNanos(startTime.getEarliestTime()) : 0),
          nanos(startTime.hasLatestTime() ? Timestamps.toNanos(startTime.getLatestTime()) : Long.MAX_VALUE), false));
    }
    if (!execution.getWorkflowId().isEmpty()) {
      conditions.add(new Compare(name("WorkflowId"), Operator.EQ, literal(execution.getWorkflowId())));
    }
    if (!execution.getRunId().isEmpty()) {
      conditions.add(new Compare(name("RunId"), Operator.EQ, literal(execution.getRunId())));
    }
    if (!type.getName().isEmpty()) {
      conditions.add(new Compare(name("WorkflowType"), Operator.EQ, literal(type.getName())));
    }
    status.ifPresent(value -> conditions.add(new Compare(name("ExecutionStatus"), Operator.EQ, literal(statusName(value.getNumber())))));
    ListQuery query = new ListQuery(Optional.of(new And(conditions)), List.of(), List.of());
    CompiledQuery compiled = ListQueryCompiler.compile(query, namespaceId, name -> Optional.empty());
    return page(namespaceId, compiled, (namespaceId + "\n" + query).hashCode(), pageSize, pageToken);
  }

  /**
   * ListSchedules with a query: a page of the running scheduler executions matching it (see
   * {@link ScheduleQueries}), in the default list order.
   *
   * @param workflowIdPrefix what a scheduler's workflow id puts before the schedule id
   */
  public Page listSchedules(String namespaceId, String query, String workflowIdPrefix, int pageSize, ByteString pageToken) {
    CompiledQuery compiled = compileScheduleQuery(namespaceId, query, workflowIdPrefix);
    return page(namespaceId, compiled, ("schedules\n" + namespaceId + "\n" + query).hashCode(), pageSize, pageToken);
  }

  /** CountSchedules: how many schedules match the query. */
  public long countSchedules(String namespaceId, String query, String workflowIdPrefix) {
    CompiledQuery compiled = compileScheduleQuery(namespaceId, query, workflowIdPrefix);
    return store.count(new VisibilityQuery(namespaceId, compiled.condition(), compiled.parameters(), List.of(), Optional.empty()));
  }

  private CompiledQuery compileScheduleQuery(String namespaceId, String query, String workflowIdPrefix) {
    ListQuery scoped = ScheduleQueries.scoped(ListQueryParser.parse(query), registry.system().keySet(), workflowIdPrefix);
    return ListQueryCompiler.compile(scoped, namespaceId, name -> registry.indexedType(namespaceId, name));
  }

  /** CountWorkflowExecutions, with {@code GROUP BY ExecutionStatus} answered per status. */
  public CountWorkflowExecutionsResponse count(String namespaceId, String query) {
    CompiledQuery compiled = ListQueryCompiler.compile(ListQueryParser.parse(query), namespaceId,
        name -> registry.indexedType(namespaceId, name));
    VisibilityQuery visibilityQuery = new VisibilityQuery(namespaceId, compiled.condition(), compiled.parameters(), List.of(),
        Optional.empty());
    if (!compiled.groupByStatus()) {
      return CountWorkflowExecutionsResponse.newBuilder().setCount(store.count(visibilityQuery)).build();
    }
    CountWorkflowExecutionsResponse.Builder response = CountWorkflowExecutionsResponse.newBuilder();
    long total = 0;
    for (Map.Entry<Integer, Long> group : new TreeMap<>(store.countByStatus(visibilityQuery)).entrySet()) {
      response.addGroups(CountWorkflowExecutionsResponse.AggregationGroup.newBuilder()
          .addGroupValues(keywordPayload(statusName(group.getKey())))
          .setCount(group.getValue()));
      total += group.getValue();
    }
    return response.setCount(total).build();
  }

  private Page page(String namespaceId, CompiledQuery compiled, int fingerprint, int pageSize, ByteString pageToken) {
    int limit = pageSize <= 0 || pageSize > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : pageSize;
    Optional<List<Object>> after = pageToken.isEmpty() ? Optional.empty()
        : Optional.of(PageToken.decode(pageToken, fingerprint).after());
    if (after.isPresent() && after.get().size() != compiled.order().size() + 1) {
      throw new dev.hourglass.common.InvalidArgumentException("the next page token belongs to another query");
    }
    VisibilityQuery query = new VisibilityQuery(namespaceId, compiled.condition(), compiled.parameters(), compiled.order(), after);
    // One row more than asked tells whether another page follows, without a count.
    List<VisibilityRecord> rows = store.list(query, limit + 1);
    boolean more = rows.size() > limit;
    List<VisibilityRecord> pageRows = more ? rows.subList(0, limit) : rows;
    ByteString next = ByteString.EMPTY;
    if (more) {
      next = new PageToken(fingerprint, position(pageRows.get(limit - 1), compiled.order())).encode();
    }
    return new Page(pageRows.stream().map(VisibilityService::info).toList(), next);
  }

  /** The row's values of the order columns, then its run id: where the next page starts. */
  private static List<Object> position(VisibilityRecord row, List<SortColumn> order) {
    List<Object> values = new ArrayList<>();
    for (SortColumn column : order) {
      if (column.attribute().isPresent()) {
        values.add(attributeValue(row, column.attribute().get()));
        continue;
      }
      values.add(switch (column.column()) {
        case "close_order" -> row.closed() ? row.closeTimeMillis() : Long.MAX_VALUE;
        case "start_time" -> row.startTimeMillis();
        case "execution_time" -> row.executionTimeMillis();
        case "status" -> (long) row.status();
        case "history_length" -> row.historyLength();
        case "history_size_bytes" -> row.historySizeBytes();
        case "workflow_id" -> row.workflowId();
        case "workflow_type" -> row.workflowType();
        case "task_queue" -> row.taskQueue();
        case "run_id" -> row.runId();
        default -> throw new IllegalStateException("no position value for " + column.column());
      });
    }
    values.add(row.runId());
    return values;
  }

  /** The row's value of a search attribute it is ordered by (as the store read it), or null without one. */
  private static Object attributeValue(VisibilityRecord row, String attribute) {
    return row.values().stream()
        .filter(value -> value.name().equals(attribute))
        .findFirst()
        .map(value -> value.intValue() != null ? (Object) value.intValue()
            : value.doubleValue() != null ? (Object) value.doubleValue() : value.textValue())
        .orElse(null);
  }

  static WorkflowExecutionInfo info(VisibilityRecord row) {
    WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(row.workflowId()).setRunId(row.runId()))
        .setType(WorkflowType.newBuilder().setName(row.workflowType()))
        .setStartTime(Timestamps.fromMillis(row.startTimeMillis()))
        .setExecutionTime(Timestamps.fromMillis(row.executionTimeMillis()))
        .setStatus(WorkflowExecutionStatus.forNumber(row.status()))
        .setHistoryLength(row.historyLength())
        .setHistorySizeBytes(row.historySizeBytes())
        .setTaskQueue(row.taskQueue())
        .setFirstRunId(row.firstRunId());
    if (row.closed()) {
      info.setCloseTime(Timestamps.fromMillis(row.closeTimeMillis()))
          .setExecutionDuration(Durations.fromMillis(Math.max(0, row.closeTimeMillis() - row.executionTimeMillis())));
    }
    if (!row.parentWorkflowId().isEmpty()) {
      info.setParentNamespaceId(row.parentNamespaceId())
          .setParentExecution(WorkflowExecution.newBuilder().setWorkflowId(row.parentWorkflowId()).setRunId(row.parentRunId()));
    }
    if (!row.rootWorkflowId().isEmpty()) {
      info.setRootExecution(WorkflowExecution.newBuilder().setWorkflowId(row.rootWorkflowId()).setRunId(row.rootRunId()));
    }
    try {
      if (row.memo().length > 0) {
        info.setMemo(Memo.parseFrom(row.memo()));
      }
      if (row.searchAttributes().length > 0) {
        info.setSearchAttributes(SearchAttributes.parseFrom(row.searchAttributes()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt visibility row of run " + row.runId(), e);
    }
    return info.build();
  }

  /** Temporal's name of a status as list filters and count groups use it ("Running", "ContinuedAsNew"). */
  static String statusName(int status) {
    return switch (status) {
      case 1 -> "Running";
      case 2 -> "Completed";
      case 3 -> "Failed";
      case 4 -> "Canceled";
      case 5 -> "Terminated";
      case 6 -> "ContinuedAsNew";
      case 7 -> "TimedOut";
      default -> "Unspecified";
    };
  }

  private static Payload keywordPayload(String value) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .putMetadata(TypedValues.TYPE_METADATA, ByteString.copyFromUtf8("Keyword"))
        .setData(ByteString.copyFromUtf8("\"" + value + "\""))
        .build();
  }

  private static Name name(String text) {
    return new Name(text, 0);
  }

  private static Literal literal(String value) {
    return new Literal(value, 0);
  }

  private static Literal nanos(long value) {
    return new Literal(BigDecimal.valueOf(value), 0);
  }
}
