package dev.hourglass.server.api;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.common.PermissionDeniedException;
import dev.hourglass.engine.history.HistoryEngine;
import dev.hourglass.engine.history.HistoryEngine.ActivityRef;
import dev.hourglass.engine.history.StartWorkflowResult;
import dev.hourglass.engine.matching.MatchingEngine;
import dev.hourglass.engine.matching.PollerInfo;
import dev.hourglass.engine.matching.PollerSeen;
import dev.hourglass.store.TaskKind;
import com.google.protobuf.util.Timestamps;
import io.temporal.api.enums.v1.DescribeTaskQueueMode;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.taskqueue.v1.TaskQueueStatus;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.visibility.VisibilityService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.UpdateRef;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.replication.v1.NamespaceReplicationConfig;
import io.temporal.api.workflowservice.v1.*;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's {@code WorkflowService} over the engine: validates each request, resolves its
 * namespace, calls history or matching, and answers. Errors become statuses in {@link StatusMapper}.
 * RPCs not overridden here answer UNIMPLEMENTED (docs/compatibility.md lists them), except
 * GetSystemInfo and GetClusterInfo, which every process answers itself ({@link SystemInfoService}).
 */
public final class WorkflowService extends WorkflowServiceGrpc.WorkflowServiceImplBase {
  /** Temporal's matching long-poll interval: an idle poll is answered empty after this. */
  static final Duration LONG_POLL = Duration.ofSeconds(60);
  /** Temporal's history long-poll interval, after which an update call answers the stage it reached. */
  static final Duration UPDATE_LONG_POLL = Duration.ofSeconds(20);
  /** Answer this long before the client's deadline, so the client sees an empty poll, not an error. */
  private static final long DEADLINE_MARGIN_MILLIS = 1_000;
  /**
   * What every namespace supports. eager_workflow_start: see startWorkflowExecution. worker_poll_complete_on_shutdown: ShutdownWorker answers the worker's
   * outstanding polls (see shutdownWorker), so the SDK lets them return instead of cancelling them.
   */
  private static final NamespaceInfo.Capabilities NAMESPACE_CAPABILITIES = NamespaceInfo.Capabilities.newBuilder()
      .setEagerWorkflowStart(true)
      .setSyncUpdate(true)
      .setAsyncUpdate(true)
      .setWorkerPollCompleteOnShutdown(true)
      .build();

  private final NamespaceRegistry namespaces;
  private final HistoryEngine history;
  private final MatchingEngine matching;
  private final VisibilityService visibility;

  public WorkflowService(NamespaceRegistry namespaces, HistoryEngine history, MatchingEngine matching, VisibilityService visibility) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.history = requireNonNull(history, "history is null");
    this.matching = requireNonNull(matching, "matching is null");
    this.visibility = requireNonNull(visibility, "visibility is null");
  }

  // ---- namespaces (GetSystemInfo and GetClusterInfo: SystemInfoService) ----

  @Override
  public void registerNamespace(RegisterNamespaceRequest request, StreamObserver<RegisterNamespaceResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireName("Namespace", request.getNamespace());
      Duration retention = request.hasWorkflowExecutionRetentionPeriod()
          ? Duration.ofMillis(Durations.toMillis(request.getWorkflowExecutionRetentionPeriod())) : Duration.ZERO;
      namespaces.register(request.getNamespace(), request.getDescription(), request.getOwnerEmail(), retention, request.getDataMap());
      return RegisterNamespaceResponse.getDefaultInstance();
    });
  }

  @Override
  public void describeNamespace(DescribeNamespaceRequest request, StreamObserver<DescribeNamespaceResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace;
      if (!request.getId().isEmpty()) {
        namespace = namespaces.list().stream().filter(candidate -> candidate.id().equals(request.getId())).findFirst()
            .orElseThrow(() -> new dev.hourglass.common.NamespaceNotFoundException(request.getId()));
      } else {
        namespace = namespaces.byName(request.getNamespace());
      }
      return describe(namespace);
    });
  }

  private static DescribeNamespaceResponse describe(Namespace namespace) {
    return DescribeNamespaceResponse.newBuilder()
        .setNamespaceInfo(namespace.info().toBuilder().setCapabilities(NAMESPACE_CAPABILITIES))
        .setConfig(namespace.config())
        .setReplicationConfig(NamespaceReplicationConfig.newBuilder().setActiveClusterName("active"))
        .setIsGlobalNamespace(false)
        .build();
  }

  @Override
  public void listNamespaces(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
    Rpc.unary(observer, () -> {
      ListNamespacesResponse.Builder response = ListNamespacesResponse.newBuilder();
      namespaces.list().forEach(namespace -> response.addNamespaces(describe(namespace)));
      return response.build();
    });
  }

  @Override
  public void updateNamespace(UpdateNamespaceRequest request, StreamObserver<UpdateNamespaceResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      NamespaceInfo.Builder info = namespace.info().toBuilder();
      if (request.hasUpdateInfo()) {
        var update = request.getUpdateInfo();
        if (!update.getDescription().isEmpty()) {
          info.setDescription(update.getDescription());
        }
        if (!update.getOwnerEmail().isEmpty()) {
          info.setOwnerEmail(update.getOwnerEmail());
        }
        info.putAllData(update.getDataMap());
      }
      NamespaceConfig.Builder config = namespace.config().toBuilder();
      if (request.hasConfig() && request.getConfig().hasWorkflowExecutionRetentionTtl()) {
        config.setWorkflowExecutionRetentionTtl(request.getConfig().getWorkflowExecutionRetentionTtl());
      }
      Namespace updated = namespaces.update(namespace, info.build(), config.build());
      DescribeNamespaceResponse described = describe(updated);
      return UpdateNamespaceResponse.newBuilder()
          .setNamespaceInfo(described.getNamespaceInfo())
          .setConfig(described.getConfig())
          .setReplicationConfig(described.getReplicationConfig())
          .build();
    });
  }

  // ---- workflows ----

  @Override
  public void startWorkflowExecution(StartWorkflowExecutionRequest request, StreamObserver<StartWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      validateStart(request);
      StartWorkflowExecutionRequest valid = withValidSearchAttributes(namespace, request);
      if (request.getRequestEagerExecution()) {
        HistoryEngine.StartWithTask eager = history.startWorkflowEagerly(namespace.id(), valid);
        StartWorkflowExecutionResponse.Builder response = StartWorkflowExecutionResponse.newBuilder()
            .setRunId(eager.started().runId()).setStarted(eager.started().started()).setLink(startLink(request, eager.started()));
        eager.eagerWorkflowTask().ifPresent(response::setEagerWorkflowTask);
        return response.build();
      }
      StartWorkflowResult result = history.startWorkflow(namespace.id(), valid);
      return StartWorkflowExecutionResponse.newBuilder().setRunId(result.runId()).setStarted(result.started())
          .setLink(startLink(request, result)).build();
    });
  }

  /** The link Temporal answers a signal with (a Nexus handler passes it to its caller): the signal's request id on the run. */
  private static io.temporal.api.common.v1.Link signalLink(String namespace, ExecutionKey run, String requestId) {
    return io.temporal.api.common.v1.Link.newBuilder().setWorkflowEvent(io.temporal.api.common.v1.Link.WorkflowEvent.newBuilder()
        .setNamespace(namespace)
        .setWorkflowId(run.workflowId())
        .setRunId(run.runId())
        .setRequestIdRef(io.temporal.api.common.v1.Link.WorkflowEvent.RequestIdReference.newBuilder()
            .setRequestId(requestId)
            .setEventType(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)))
        .build();
  }

  /**
   * The link Temporal answers a start with (a Nexus handler passes it to its caller): the started
   * event of a new run, else the request's id on the run that answered it.
   */
  private static io.temporal.api.common.v1.Link startLink(StartWorkflowExecutionRequest request, StartWorkflowResult result) {
    var event = io.temporal.api.common.v1.Link.WorkflowEvent.newBuilder()
        .setNamespace(request.getNamespace())
        .setWorkflowId(request.getWorkflowId())
        .setRunId(result.runId());
    if (result.started()) {
      event.setEventRef(io.temporal.api.common.v1.Link.WorkflowEvent.EventReference.newBuilder()
          .setEventId(1).setEventType(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
    } else {
      event.setRequestIdRef(io.temporal.api.common.v1.Link.WorkflowEvent.RequestIdReference.newBuilder()
          .setRequestId(request.getRequestId())
          .setEventType(result.attached() ? io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED
              : io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED));
    }
    return io.temporal.api.common.v1.Link.newBuilder().setWorkflowEvent(event).build();
  }

  /** INVALID_ARGUMENT for an unknown search attribute; the others typed as registered. */
  private StartWorkflowExecutionRequest withValidSearchAttributes(Namespace namespace, StartWorkflowExecutionRequest request) {
    if (!request.hasSearchAttributes()) {
      return request;
    }
    return request.toBuilder().setSearchAttributes(visibility.registry().validate(namespace.id(), request.getSearchAttributes())).build();
  }

  private static void validateStart(StartWorkflowExecutionRequest request) {
    Validation.requireWorkflowId(request.getWorkflowId());
    Validation.requireName("WorkflowType", request.getWorkflowType().getName());
    Validation.requireTaskQueue(request.getTaskQueue());
    if (request.getRequestId().length() > Validation.MAX_ID_LENGTH) {
      throw new InvalidArgumentException("RequestId length exceeds limit.");
    }
    checkTimeout("WorkflowExecutionTimeout", request.getWorkflowExecutionTimeout());
    checkTimeout("WorkflowRunTimeout", request.getWorkflowRunTimeout());
    checkTimeout("WorkflowTaskTimeout", request.getWorkflowTaskTimeout());
    Validation.requireBlobSize("input", request.getInput());
    Validation.requireBlobSize("memo", request.getMemo());
    Validation.requireBlobSize("header", request.getHeader());
    // Retry policy, cron schedule, start delay and id policies are checked by the engine (StartRequests).
  }

  private static void checkTimeout(String what, com.google.protobuf.Duration timeout) {
    if (timeout.getSeconds() < 0 || timeout.getNanos() < 0) {
      throw new InvalidArgumentException("Invalid " + what + ": it may not be negative.");
    }
  }

  @Override
  public void describeWorkflowExecution(DescribeWorkflowExecutionRequest request,
      StreamObserver<DescribeWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> history.describe(resolve(request.getNamespace(), request.getExecution())));
  }

  @Override
  public void getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest request,
      StreamObserver<GetWorkflowExecutionHistoryResponse> observer) {
    Rpc.async(observer, () -> history.getHistory(resolve(request.getNamespace(), request.getExecution()),
        request.getNextPageToken(), request.getMaximumPageSize(), request.getWaitNewEvent(), request.getHistoryEventFilterType(),
        ClientFeatures.followsNextRunId()));
  }

  @Override
  public void resetWorkflowExecution(ResetWorkflowExecutionRequest request, StreamObserver<ResetWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireExecution(request.getWorkflowExecution());
      if (request.getRequestId().length() > Validation.MAX_ID_LENGTH) {
        throw new InvalidArgumentException("RequestId length exceeds limit.");
      }
      if (request.getPostResetOperationsCount() > 0) {
        throw new InvalidArgumentException("Post-reset operations are not supported by this Hourglass version yet (see docs/compatibility.md).");
      }
      String runId = history.reset(namespace.id(), request.getWorkflowExecution(), request.getWorkflowTaskFinishEventId(),
          request.getReason(), request.getRequestId(), request.getResetReapplyType(),
          java.util.Set.copyOf(request.getResetReapplyExcludeTypesList()));
      return ResetWorkflowExecutionResponse.newBuilder().setRunId(runId).build();
    });
  }

  @Override
  public void getWorkflowExecutionHistoryReverse(GetWorkflowExecutionHistoryReverseRequest request,
      StreamObserver<GetWorkflowExecutionHistoryReverseResponse> observer) {
    Rpc.unary(observer, () -> history.getHistoryReverse(resolve(request.getNamespace(), request.getExecution()),
        request.getNextPageToken(), request.getMaximumPageSize()));
  }

  @Override
  public void signalWorkflowExecution(SignalWorkflowExecutionRequest request, StreamObserver<SignalWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      ExecutionKey key = resolve(request.getNamespace(), request.getWorkflowExecution());
      Validation.requireName("SignalName", request.getSignalName());
      Validation.requireBlobSize("input", request.getInput());
      history.signal(key, new HistoryEngine.SignalRequest(request.getSignalName(), request.hasInput() ? request.getInput() : null,
          request.hasHeader() ? request.getHeader() : null, request.getIdentity(), request.getRequestId(), request.getLinksList()));
      return SignalWorkflowExecutionResponse.newBuilder().setLink(signalLink(request.getNamespace(), key, request.getRequestId())).build();
    });
  }

  @Override
  public void signalWithStartWorkflowExecution(SignalWithStartWorkflowExecutionRequest request,
      StreamObserver<SignalWithStartWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireName("SignalName", request.getSignalName());
      Validation.requireBlobSize("signal input", request.getSignalInput());
      StartWorkflowExecutionRequest.Builder start = StartWorkflowExecutionRequest.newBuilder()
          .setNamespace(request.getNamespace())
          .setWorkflowId(request.getWorkflowId())
          .setWorkflowType(request.getWorkflowType())
          .setTaskQueue(request.getTaskQueue())
          .setInput(request.getInput())
          .setWorkflowExecutionTimeout(request.getWorkflowExecutionTimeout())
          .setWorkflowRunTimeout(request.getWorkflowRunTimeout())
          .setWorkflowTaskTimeout(request.getWorkflowTaskTimeout())
          .setIdentity(request.getIdentity())
          .setRequestId(request.getRequestId())
          .setWorkflowIdReusePolicy(request.getWorkflowIdReusePolicy())
          .setWorkflowIdConflictPolicy(request.getWorkflowIdConflictPolicy())
          .setCronSchedule(request.getCronSchedule())
          .setMemo(request.getMemo())
          .setSearchAttributes(request.getSearchAttributes())
          .setHeader(request.getHeader());
      if (request.hasRetryPolicy()) {
        start.setRetryPolicy(request.getRetryPolicy());
      }
      if (request.hasWorkflowStartDelay()) {
        start.setWorkflowStartDelay(request.getWorkflowStartDelay());
      }
      if (request.hasPriority()) {
        start.setPriority(request.getPriority());
      }
      if (request.hasUserMetadata()) {
        start.setUserMetadata(request.getUserMetadata());
      }
      StartWorkflowExecutionRequest startRequest = withValidSearchAttributes(namespace, start.build());
      validateStart(startRequest);
      StartWorkflowResult result = history.signalWithStart(namespace.id(), startRequest, new HistoryEngine.SignalRequest(
          request.getSignalName(), request.hasSignalInput() ? request.getSignalInput() : null, request.hasHeader() ? request.getHeader() : null,
          request.getIdentity(), request.getRequestId(), request.getLinksList()));
      return SignalWithStartWorkflowExecutionResponse.newBuilder().setRunId(result.runId()).setStarted(result.started())
          .setSignalLink(signalLink(request.getNamespace(), new ExecutionKey(namespace.id(), request.getWorkflowId(), result.runId()),
              request.getRequestId()))
          .build();
    });
  }

  @Override
  public void requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest request,
      StreamObserver<RequestCancelWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      ExecutionKey key = resolveChain(request.getNamespace(), request.getWorkflowExecution(), request.getFirstExecutionRunId());
      history.requestCancel(key, request.getFirstExecutionRunId(), request.getReason(), request.getIdentity(), request.getRequestId());
      return RequestCancelWorkflowExecutionResponse.getDefaultInstance();
    });
  }

  @Override
  public void queryWorkflow(QueryWorkflowRequest request, StreamObserver<QueryWorkflowResponse> observer) {
    Rpc.async(observer, () -> {
      ExecutionKey key = resolve(request.getNamespace(), request.getExecution());
      Validation.requireName("QueryType", request.getQuery().getQueryType());
      Validation.requireBlobSize("query args", request.getQuery().getQueryArgs());
      return history.query(key, request.getQuery(), request.getQueryRejectCondition(), queryTimeout());
    });
  }

  @Override
  public void respondQueryTaskCompleted(RespondQueryTaskCompletedRequest request, StreamObserver<RespondQueryTaskCompletedResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("query result", request.getQueryResult());
      history.respondQueryTaskCompleted(request);
      return RespondQueryTaskCompletedResponse.getDefaultInstance();
    });
  }

  @Override
  public void terminateWorkflowExecution(TerminateWorkflowExecutionRequest request,
      StreamObserver<TerminateWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      ExecutionKey key = resolveChain(request.getNamespace(), request.getWorkflowExecution(), request.getFirstExecutionRunId());
      Validation.requireBlobSize("details", request.getDetails());
      history.terminate(key, request.getFirstExecutionRunId(), request.getReason(), request.hasDetails() ? request.getDetails() : null,
          request.getIdentity());
      return TerminateWorkflowExecutionResponse.getDefaultInstance();
    });
  }

  // ---- workflow updates ----

  @Override
  public void updateWorkflowExecution(UpdateWorkflowExecutionRequest request, StreamObserver<UpdateWorkflowExecutionResponse> observer) {
    Rpc.async(observer, () -> {
      ExecutionKey key = resolve(request.getNamespace(), request.getWorkflowExecution());
      Request update = validateUpdate(request.getRequest());
      UpdateWorkflowExecutionLifecycleStage stage = updateStage(request);
      return Rpc.map(history.updateWorkflow(key, request.getFirstExecutionRunId(), update, updateWait(stage)),
          status -> updateResponse(key, update.getMeta().getUpdateId(), status));
    });
  }

  @Override
  public void executeMultiOperation(ExecuteMultiOperationRequest request, StreamObserver<ExecuteMultiOperationResponse> observer) {
    // Update-with-start, the only multi-operation Temporal allows: start and admit the update in one
    // change (or use the running workflow, by the conflict policy, and admit it there), then wait as an
    // update does.
    Rpc.async(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      if (request.getOperationsCount() != 2 || !request.getOperations(0).hasStartWorkflow() || !request.getOperations(1).hasUpdateWorkflow()) {
        throw new InvalidArgumentException("Operations have to be exactly [Start, Update].");
      }
      StartWorkflowExecutionRequest start = request.getOperations(0).getStartWorkflow();
      UpdateWorkflowExecutionRequest update = request.getOperations(1).getUpdateWorkflow();
      Request updateRequest = validateUpdateWithStart(request.getNamespace(), start, update);
      UpdateWorkflowExecutionLifecycleStage stage = updateStage(update);
      HistoryEngine.StartWithUpdate startWithUpdate;
      try {
        startWithUpdate = history.startWithUpdate(namespace.id(), start, updateRequest, updateWait(stage));
      } catch (RuntimeException e) {
        throw MultiOperationException.failedAt(0, 2, e);
      }
      StartWorkflowResult started = startWithUpdate.started();
      ExecutionKey key = new ExecutionKey(namespace.id(), start.getWorkflowId(), started.runId());
      CompletableFuture<HistoryEngine.UpdateStatus> updated;
      try {
        // A new run has the update admitted with its start; a running one (conflict policy USE_EXISTING,
        // or the same request id) is updated as UpdateWorkflowExecution does.
        updated = startWithUpdate.update().isPresent() ? startWithUpdate.update().get()
            : history.updateWorkflow(key, "", updateRequest, updateWait(stage));
      } catch (RuntimeException e) {
        throw MultiOperationException.failedAt(1, 2, e);
      }
      // A client that goes away leaves the update's waiter to its (at most 20 s) server-side timeout.
      return updated.handle((status, error) -> {
        if (error != null) {
          throw MultiOperationException.failedAt(1, 2, error instanceof java.util.concurrent.CompletionException wrapped
              && wrapped.getCause() instanceof RuntimeException cause ? cause
              : error instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(error));
        }
        return ExecuteMultiOperationResponse.newBuilder()
            .addResponses(ExecuteMultiOperationResponse.Response.newBuilder().setStartWorkflow(
                StartWorkflowExecutionResponse.newBuilder().setRunId(started.runId()).setStarted(started.started())))
            .addResponses(ExecuteMultiOperationResponse.Response.newBuilder().setUpdateWorkflow(
                updateResponse(key, updateRequest.getMeta().getUpdateId(), status)))
            .build();
      });
    });
  }

  /** Temporal's checks of update-with-start, each failure reported against its operation. */
  private static Request validateUpdateWithStart(String namespace, StartWorkflowExecutionRequest start,
      UpdateWorkflowExecutionRequest update) {
    try {
      if (!start.getNamespace().equals(namespace)) {
        throw new InvalidArgumentException("Operation namespace did not match request's namespace.");
      }
      if (!start.getCronSchedule().isEmpty()) {
        throw new InvalidArgumentException("CronSchedule is not allowed.");
      }
      if (start.hasWorkflowStartDelay() && Durations.toMillis(start.getWorkflowStartDelay()) > 0) {
        throw new InvalidArgumentException("WorkflowStartDelay is not supported.");
      }
      validateStart(start);
      if (start.getRequestEagerExecution()) {
        throw new InvalidArgumentException("RequestEagerExecution is not supported.");
      }
    } catch (RuntimeException e) {
      throw MultiOperationException.failedAt(0, 2, e);
    }
    try {
      if (!update.getNamespace().equals(namespace)) {
        throw new InvalidArgumentException("Operation namespace did not match request's namespace.");
      }
      Validation.requireExecution(update.getWorkflowExecution());
      if (!update.getFirstExecutionRunId().isEmpty()) {
        throw new InvalidArgumentException("FirstExecutionRunId is not allowed.");
      }
      if (!update.getWorkflowExecution().getRunId().isEmpty()) {
        throw new InvalidArgumentException("RunId is not allowed.");
      }
      if (!update.getWorkflowExecution().getWorkflowId().equals(start.getWorkflowId())) {
        throw new InvalidArgumentException("WorkflowId is not consistent with previous operation(s).");
      }
      updateStage(update);
      return validateUpdate(update.getRequest());
    } catch (RuntimeException e) {
      throw MultiOperationException.failedAt(1, 2, e);
    }
  }

  /** The stage to wait for: COMPLETED when unspecified; ADMITTED is refused, as by Temporal. */
  private static UpdateWorkflowExecutionLifecycleStage updateStage(UpdateWorkflowExecutionRequest request) {
    UpdateWorkflowExecutionLifecycleStage stage = request.getWaitPolicy().getLifecycleStage();
    if (stage == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED) {
      return UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    }
    if (stage == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED) {
      throw new PermissionDeniedException(
          "UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.");
    }
    return stage;
  }

  private static UpdateWorkflowExecutionResponse updateResponse(ExecutionKey key, String updateId, HistoryEngine.UpdateStatus status) {
    UpdateWorkflowExecutionResponse.Builder response = UpdateWorkflowExecutionResponse.newBuilder()
        .setUpdateRef(updateRef(key, updateId))
        .setStage(status.stage());
    if (status.outcome() != null) {
      response.setOutcome(status.outcome());
    }
    return response.build();
  }

  /** Temporal's checks of an update request; an empty update id gets a generated one, as in Temporal. */
  private static Request validateUpdate(Request request) {
    if (!request.hasMeta()) {
      throw new InvalidArgumentException("Update meta is not set on request.");
    }
    if (request.getMeta().getUpdateId().length() > Validation.MAX_ID_LENGTH) {
      throw new InvalidArgumentException("UpdateId length exceeds limit.");
    }
    if (!request.hasInput()) {
      throw new InvalidArgumentException("Update input is not set on request.");
    }
    if (request.getInput().getName().isEmpty()) {
      throw new InvalidArgumentException("Update name is not set on request.");
    }
    Validation.requireBlobSize("update args", request.getInput().getArgs());
    if (request.getMeta().getUpdateId().isEmpty()) {
      return request.toBuilder().setMeta(request.getMeta().toBuilder().setUpdateId(UUID.randomUUID().toString())).build();
    }
    return request;
  }

  @Override
  public void pollWorkflowExecutionUpdate(PollWorkflowExecutionUpdateRequest request,
      StreamObserver<PollWorkflowExecutionUpdateResponse> observer) {
    Rpc.async(observer, () -> {
      if (!request.hasUpdateRef()) {
        throw new InvalidArgumentException("UpdateRef is not set on request.");
      }
      ExecutionKey key = resolve(request.getNamespace(), request.getUpdateRef().getWorkflowExecution());
      String updateId = request.getUpdateRef().getUpdateId();
      Validation.requireName("UpdateId", updateId);
      return Rpc.map(history.pollUpdate(key, updateId, updateWait(request.getWaitPolicy().getLifecycleStage())), status -> {
        PollWorkflowExecutionUpdateResponse.Builder response = PollWorkflowExecutionUpdateResponse.newBuilder()
            .setUpdateRef(updateRef(key, updateId))
            .setStage(status.stage());
        if (status.outcome() != null) {
          response.setOutcome(status.outcome());
        }
        return response.build();
      });
    });
  }

  private static UpdateRef updateRef(ExecutionKey key, String updateId) {
    return UpdateRef.newBuilder()
        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
        .setUpdateId(updateId)
        .build();
  }

  /**
   * An update call waits for its stage at most Temporal's server-side long poll (20 s), then answers
   * the stage reached so that the SDK asks again; a client deadline that comes first ends the call
   * with DEADLINE_EXCEEDED, as from Temporal.
   */
  private static HistoryEngine.UpdateWait updateWait(UpdateWorkflowExecutionLifecycleStage stage) {
    Deadline deadline = Context.current().getDeadline();
    long serverTimeout = UPDATE_LONG_POLL.toMillis();
    if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) <= serverTimeout) {
      return new HistoryEngine.UpdateWait(stage, Math.max(0, deadline.timeRemaining(TimeUnit.MILLISECONDS)), true);
    }
    return new HistoryEngine.UpdateWait(stage, serverTimeout, false);
  }

  @Override
  public void deleteWorkflowExecution(DeleteWorkflowExecutionRequest request, StreamObserver<DeleteWorkflowExecutionResponse> observer) {
    Rpc.unary(observer, () -> {
      history.deleteRun(resolve(request.getNamespace(), request.getWorkflowExecution()));
      return DeleteWorkflowExecutionResponse.getDefaultInstance();
    });
  }

  /**
   * The run a cancel or terminate acts on: with a first execution run id, the workflow id's current
   * run, whichever run of that chain it is (the engine checks it belongs to the chain), as Temporal does.
   */
  private ExecutionKey resolveChain(String namespaceName, WorkflowExecution execution, String firstExecutionRunId) {
    return resolve(namespaceName, firstExecutionRunId.isEmpty() ? execution : execution.toBuilder().clearRunId().build());
  }

  private ExecutionKey resolve(String namespaceName, WorkflowExecution execution) {
    Namespace namespace = namespaces.byName(namespaceName);
    Validation.requireExecution(execution);
    return history.resolveRun(namespace.id(), execution);
  }

  // ---- workflow tasks ----

  @Override
  public void pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest request, StreamObserver<PollWorkflowTaskQueueResponse> observer) {
    Rpc.async(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireTaskQueue(request.getTaskQueue());
      return Rpc.map(matching.pollWorkflowTask(namespace.id(), request.getTaskQueue().getName(), new PollerInfo(request.getIdentity(), request.getWorkerInstanceKey()),
              pollTimeout(), history::recordWorkflowTaskStarted),
          task -> task.orElse(PollWorkflowTaskQueueResponse.getDefaultInstance()));
    });
  }

  @Override
  public void respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest request,
      StreamObserver<RespondWorkflowTaskCompletedResponse> observer) {
    Rpc.unary(observer, () -> {
      for (var command : request.getCommandsList()) {
        Validation.requireBlobSize("command " + command.getCommandType(), command);
      }
      HistoryEngine.WorkflowTaskCompleted completed = history.respondWorkflowTaskCompleted(request);
      return RespondWorkflowTaskCompletedResponse.newBuilder()
          .addAllActivityTasks(completed.eagerActivities())
          .setResetHistoryEventId(completed.resetHistoryEventId())
          .build();
    });
  }

  @Override
  public void respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest request, StreamObserver<RespondWorkflowTaskFailedResponse> observer) {
    Rpc.unary(observer, () -> {
      history.respondWorkflowTaskFailed(request.getTaskToken(), request.getCause(), request.hasFailure() ? request.getFailure() : null,
          request.getIdentity());
      return RespondWorkflowTaskFailedResponse.getDefaultInstance();
    });
  }

  @Override
  public void resetStickyTaskQueue(ResetStickyTaskQueueRequest request, StreamObserver<ResetStickyTaskQueueResponse> observer) {
    Rpc.unary(observer, () -> {
      history.resetStickyTaskQueue(resolve(request.getNamespace(), request.getExecution()));
      return ResetStickyTaskQueueResponse.getDefaultInstance();
    });
  }

  /** Temporal's default dispatch rate limit, which it reports per poller. */
  private static final double DEFAULT_POLLER_RATE_PER_SECOND = 100_000;

  @Override
  public void describeTaskQueue(DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> observer) {
    // Temporal's classic mode: the pollers of one task queue type seen in the last five minutes,
    // optionally its backlog count (up to 1000).
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireTaskQueue(request.getTaskQueue());
      if (request.getApiMode() == DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED) {
        throw new InvalidArgumentException("DescribeTaskQueue's enhanced mode (worker versioning) is not supported by this Hourglass "
            + "version; leave api_mode unspecified (see docs/compatibility.md).");
      }
      TaskKind kind = switch (request.getTaskQueueType()) {
        case TASK_QUEUE_TYPE_ACTIVITY -> TaskKind.ACTIVITY;
        case TASK_QUEUE_TYPE_NEXUS -> TaskKind.NEXUS;
        default -> TaskKind.WORKFLOW;
      };
      String queue = request.getTaskQueue().getName();
      DescribeTaskQueueResponse.Builder response = DescribeTaskQueueResponse.newBuilder();
      for (PollerSeen poller : matching.recentPollers(namespace.id(), queue, kind)) {
        response.addPollers(io.temporal.api.taskqueue.v1.PollerInfo.newBuilder()
            .setIdentity(poller.identity())
            .setLastAccessTime(Timestamps.fromMillis(poller.lastAccessMillis()))
            .setRatePerSecond(DEFAULT_POLLER_RATE_PER_SECOND));
      }
      int backlog = matching.backlogCount(namespace.id(), queue, kind);
      if (request.getReportStats()) {
        response.setStats(TaskQueueStats.newBuilder().setApproximateBacklogCount(backlog));
      }
      if (request.getIncludeTaskQueueStatus()) {
        response.setTaskQueueStatus(TaskQueueStatus.newBuilder().setBacklogCountHint(backlog)
            .setRatePerSecond(DEFAULT_POLLER_RATE_PER_SECOND));
      }
      return response.build();
    });
  }

  @Override
  public void shutdownWorker(ShutdownWorkerRequest request, StreamObserver<ShutdownWorkerResponse> observer) {
    // The worker's cache is going away: its sticky queue gets no more tasks, its open sticky polls
    // are answered empty, and tasks already on it fall back to the normal queue by their
    // schedule-to-start timeout. Its other outstanding polls (named by its instance key) are
    // answered empty too: the worker_poll_complete_on_shutdown namespace capability.
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      if (!request.getStickyTaskQueue().isEmpty()) {
        matching.shutdownStickyQueue(namespace.id(), request.getStickyTaskQueue());
      }
      matching.shutdownWorker(namespace.id(), request.getWorkerInstanceKey());
      return ShutdownWorkerResponse.getDefaultInstance();
    });
  }

  // ---- activity tasks ----

  @Override
  public void pollActivityTaskQueue(PollActivityTaskQueueRequest request, StreamObserver<PollActivityTaskQueueResponse> observer) {
    Rpc.async(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireTaskQueue(request.getTaskQueue());
      return Rpc.map(matching.pollActivityTask(namespace.id(), request.getTaskQueue().getName(), new PollerInfo(request.getIdentity(), request.getWorkerInstanceKey()),
              pollTimeout(), history::recordActivityTaskStarted),
          task -> task.orElse(PollActivityTaskQueueResponse.getDefaultInstance()));
    });
  }

  @Override
  public void pollNexusTaskQueue(PollNexusTaskQueueRequest request, StreamObserver<PollNexusTaskQueueResponse> observer) {
    Rpc.async(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireTaskQueue(request.getTaskQueue());
      return Rpc.map(matching.pollNexusTask(namespace.id(), request.getTaskQueue().getName(), new PollerInfo(request.getIdentity(), request.getWorkerInstanceKey()),
              pollTimeout(), history::recordNexusTaskStarted),
          task -> task.orElse(PollNexusTaskQueueResponse.getDefaultInstance()));
    });
  }

  @Override
  public void respondNexusTaskCompleted(RespondNexusTaskCompletedRequest request, StreamObserver<RespondNexusTaskCompletedResponse> observer) {
    Rpc.unary(observer, () -> {
      namespaces.byName(request.getNamespace());
      history.respondNexusTaskCompleted(request);
      return RespondNexusTaskCompletedResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondNexusTaskFailed(RespondNexusTaskFailedRequest request, StreamObserver<RespondNexusTaskFailedResponse> observer) {
    Rpc.unary(observer, () -> {
      namespaces.byName(request.getNamespace());
      history.respondNexusTaskFailed(request);
      return RespondNexusTaskFailedResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
      StreamObserver<RespondActivityTaskCompletedResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("result", request.getResult());
      history.respondActivityTaskCompleted(ActivityRef.byToken(request.getTaskToken()), request.getResult(), request.getIdentity());
      return RespondActivityTaskCompletedResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskCompletedById(RespondActivityTaskCompletedByIdRequest request,
      StreamObserver<RespondActivityTaskCompletedByIdResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("result", request.getResult());
      history.respondActivityTaskCompleted(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId()),
          request.getResult(), request.getIdentity());
      return RespondActivityTaskCompletedByIdResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request, StreamObserver<RespondActivityTaskFailedResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("failure", request.getFailure());
      Validation.requireBlobSize("last heartbeat details", request.getLastHeartbeatDetails());
      history.respondActivityTaskFailed(ActivityRef.byToken(request.getTaskToken()), request.getFailure(),
          request.hasLastHeartbeatDetails() ? request.getLastHeartbeatDetails() : null, request.getIdentity());
      return RespondActivityTaskFailedResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskFailedById(RespondActivityTaskFailedByIdRequest request,
      StreamObserver<RespondActivityTaskFailedByIdResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("failure", request.getFailure());
      history.respondActivityTaskFailed(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId()),
          request.getFailure(), request.hasLastHeartbeatDetails() ? request.getLastHeartbeatDetails() : null, request.getIdentity());
      return RespondActivityTaskFailedByIdResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskCanceled(RespondActivityTaskCanceledRequest request,
      StreamObserver<RespondActivityTaskCanceledResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("details", request.getDetails());
      history.respondActivityTaskCanceled(ActivityRef.byToken(request.getTaskToken()),
          request.hasDetails() ? request.getDetails() : null, request.getIdentity());
      return RespondActivityTaskCanceledResponse.getDefaultInstance();
    });
  }

  @Override
  public void respondActivityTaskCanceledById(RespondActivityTaskCanceledByIdRequest request,
      StreamObserver<RespondActivityTaskCanceledByIdResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("details", request.getDetails());
      history.respondActivityTaskCanceled(byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId()),
          request.hasDetails() ? request.getDetails() : null, request.getIdentity());
      return RespondActivityTaskCanceledByIdResponse.getDefaultInstance();
    });
  }

  @Override
  public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
      StreamObserver<RecordActivityTaskHeartbeatResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("details", request.getDetails());
      boolean cancelRequested = history.recordActivityTaskHeartbeat(ActivityRef.byToken(request.getTaskToken()),
          request.hasDetails() ? request.getDetails() : null);
      return RecordActivityTaskHeartbeatResponse.newBuilder().setCancelRequested(cancelRequested).build();
    });
  }

  @Override
  public void recordActivityTaskHeartbeatById(RecordActivityTaskHeartbeatByIdRequest request,
      StreamObserver<RecordActivityTaskHeartbeatByIdResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("details", request.getDetails());
      boolean cancelRequested = history.recordActivityTaskHeartbeat(
          byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId()),
          request.hasDetails() ? request.getDetails() : null);
      return RecordActivityTaskHeartbeatByIdResponse.newBuilder().setCancelRequested(cancelRequested).build();
    });
  }

  private ActivityRef byId(String namespaceName, String workflowId, String runId, String activityId) {
    Validation.requireName("ActivityId", activityId);
    ExecutionKey key = resolve(namespaceName, WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build());
    return new ActivityRef(key, 0, 0, activityId);
  }

  // ---- visibility ----

  @Override
  public void listWorkflowExecutions(ListWorkflowExecutionsRequest request, StreamObserver<ListWorkflowExecutionsResponse> observer) {
    Rpc.unary(observer, () -> {
      VisibilityService.Page page = visibility.list(namespaces.byName(request.getNamespace()).id(), request.getQuery(),
          request.getPageSize(), request.getNextPageToken());
      return ListWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void scanWorkflowExecutions(ScanWorkflowExecutionsRequest request, StreamObserver<ScanWorkflowExecutionsResponse> observer) {
    Rpc.unary(observer, () -> {
      VisibilityService.Page page = visibility.list(namespaces.byName(request.getNamespace()).id(), request.getQuery(),
          request.getPageSize(), request.getNextPageToken());
      return ScanWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest request,
      StreamObserver<ListOpenWorkflowExecutionsResponse> observer) {
    Rpc.unary(observer, () -> {
      VisibilityService.Page page = visibility.listByFilters(namespaces.byName(request.getNamespace()).id(), true,
          request.getStartTimeFilter(), request.getExecutionFilter(), request.getTypeFilter(), Optional.empty(),
          request.getMaximumPageSize(), request.getNextPageToken());
      return ListOpenWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest request,
      StreamObserver<ListClosedWorkflowExecutionsResponse> observer) {
    Rpc.unary(observer, () -> {
      VisibilityService.Page page = visibility.listByFilters(namespaces.byName(request.getNamespace()).id(), false,
          request.getStartTimeFilter(), request.getExecutionFilter(), request.getTypeFilter(),
          request.hasStatusFilter() ? Optional.of(request.getStatusFilter().getStatus()) : Optional.empty(),
          request.getMaximumPageSize(), request.getNextPageToken());
      return ListClosedWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void countWorkflowExecutions(CountWorkflowExecutionsRequest request, StreamObserver<CountWorkflowExecutionsResponse> observer) {
    Rpc.unary(observer, () -> visibility.count(namespaces.byName(request.getNamespace()).id(), request.getQuery()));
  }

  @Override
  public void getSearchAttributes(GetSearchAttributesRequest request, StreamObserver<GetSearchAttributesResponse> observer) {
    // The request names no namespace: answer the system attributes and the custom ones every namespace has.
    Rpc.unary(observer, () -> GetSearchAttributesResponse.newBuilder()
        .putAllKeys(visibility.registry().system())
        .putAllKeys(visibility.registry().custom(namespaces.byName(dev.hourglass.server.ServerOptions.DEFAULT_NAMESPACE).id()))
        .build());
  }

  // ---- schedules ----

  @Override
  public void createSchedule(CreateScheduleRequest request, StreamObserver<CreateScheduleResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      Validation.requireBlobSize("schedule", request.getSchedule());
      return history.createSchedule(namespace.id(), request);
    });
  }

  @Override
  public void describeSchedule(DescribeScheduleRequest request, StreamObserver<DescribeScheduleResponse> observer) {
    Rpc.unary(observer, () -> history.describeSchedule(namespaces.byName(request.getNamespace()).id(), request.getScheduleId()));
  }

  @Override
  public void updateSchedule(UpdateScheduleRequest request, StreamObserver<UpdateScheduleResponse> observer) {
    Rpc.unary(observer, () -> {
      Validation.requireBlobSize("schedule", request.getSchedule());
      history.updateSchedule(namespaces.byName(request.getNamespace()).id(), request);
      return UpdateScheduleResponse.getDefaultInstance();
    });
  }

  @Override
  public void patchSchedule(PatchScheduleRequest request, StreamObserver<PatchScheduleResponse> observer) {
    Rpc.unary(observer, () -> {
      history.patchSchedule(namespaces.byName(request.getNamespace()).id(), request.getScheduleId(), request.getPatch());
      return PatchScheduleResponse.getDefaultInstance();
    });
  }

  @Override
  public void deleteSchedule(DeleteScheduleRequest request, StreamObserver<DeleteScheduleResponse> observer) {
    Rpc.unary(observer, () -> {
      history.deleteSchedule(namespaces.byName(request.getNamespace()).id(), request.getScheduleId());
      return DeleteScheduleResponse.getDefaultInstance();
    });
  }

  @Override
  public void listSchedules(ListSchedulesRequest request, StreamObserver<ListSchedulesResponse> observer) {
    Rpc.unary(observer, () -> {
      String namespaceId = namespaces.byName(request.getNamespace()).id();
      if (request.getQuery().isBlank()) {
        // Every schedule, in id order, from the current-run index.
        return history.listSchedules(namespaceId, request.getMaximumPageSize(), request.getNextPageToken());
      }
      // Filtered: through visibility, as Temporal lists schedules (the scheduler executions' rows).
      VisibilityService.Page page = visibility.listSchedules(namespaceId, request.getQuery(), HistoryEngine.schedulerWorkflowIdPrefix(),
          request.getMaximumPageSize(), request.getNextPageToken());
      return history.listSchedules(namespaceId, page.executions(), page.nextPageToken());
    });
  }

  @Override
  public void countSchedules(CountSchedulesRequest request, StreamObserver<CountSchedulesResponse> observer) {
    Rpc.unary(observer, () -> CountSchedulesResponse.newBuilder()
        .setCount(visibility.countSchedules(namespaces.byName(request.getNamespace()).id(), request.getQuery(),
            HistoryEngine.schedulerWorkflowIdPrefix()))
        .build());
  }

  @Override
  public void listScheduleMatchingTimes(ListScheduleMatchingTimesRequest request,
      StreamObserver<ListScheduleMatchingTimesResponse> observer) {
    Rpc.unary(observer, () -> {
      if (!request.hasStartTime() || !request.hasEndTime()) {
        throw new dev.hourglass.common.InvalidArgumentException("StartTime and EndTime are required.");
      }
      return history.listScheduleMatchingTimes(namespaces.byName(request.getNamespace()).id(), request.getScheduleId(),
          com.google.protobuf.util.Timestamps.toMillis(request.getStartTime()),
          com.google.protobuf.util.Timestamps.toMillis(request.getEndTime()));
    });
  }

  /** Queries wait for a worker until shortly before the client gives up (the SDK waits 10 s by default). */
  private static Duration queryTimeout() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return Duration.ofSeconds(10);
    }
    long remaining = deadline.timeRemaining(TimeUnit.MILLISECONDS) - DEADLINE_MARGIN_MILLIS;
    return Duration.ofMillis(Math.max(100, Math.min(remaining, LONG_POLL.toMillis())));
  }

  /** The long-poll interval, cut short to answer before the client's own deadline. */
  private static Duration pollTimeout() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return LONG_POLL;
    }
    long remaining = deadline.timeRemaining(TimeUnit.MILLISECONDS) - DEADLINE_MARGIN_MILLIS;
    return Duration.ofMillis(Math.max(0, Math.min(remaining, LONG_POLL.toMillis())));
  }
}
