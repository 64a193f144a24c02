package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.SdkLogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.errordetails.v1.NamespaceAlreadyExistsFailure;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.StatusUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests Temporal rejects are rejected with the same gRPC status code, a message that names the
 * problem, and the error details the SDKs look for. Sent raw, without the SDK's client-side checks.
 */
@Timeout(60)
class BadInputIT {
  /** Temporal's default limit on one blob (frontend {@code limit.blobSize.error}): 2 MiB. */
  private static final int BLOB_SIZE_LIMIT_BYTES = 2 * 1024 * 1024;
  /** Temporal's default limit on a workflow id (frontend {@code limit.maxIDLength}). */
  private static final int MAX_ID_LENGTH = 1000;

  @RegisterExtension final SdkLogCapture sdkLogs = new SdkLogCapture();

  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @BeforeEach
  void startServer() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
  }

  @AfterEach
  void stopServer() {
    if (sdk != null) {
      sdk.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WorkflowServiceBlockingStub rpc() {
    return sdk.service().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static StartWorkflowExecutionRequest.Builder validStart() {
    return StartWorkflowExecutionRequest.newBuilder()
        .setNamespace(SdkEnvironment.NAMESPACE)
        .setWorkflowId("bad-input-" + UUID.randomUUID())
        .setWorkflowType(WorkflowType.newBuilder().setName("AnyWorkflow"))
        .setTaskQueue(TaskQueue.newBuilder().setName("bad-input"))
        .setRequestId(UUID.randomUUID().toString())
        .setIdentity("BadInputIT");
  }

  private static StatusRuntimeException rejected(ThrowingCallable call) {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(error).as("the server should reject the request").isNotNull();
    return error;
  }

  private static void assertStatus(StatusRuntimeException error, Status.Code code, String messageMentions) {
    assertThat(error.getStatus().getCode()).as("status of %s", error).isEqualTo(code);
    assertThat(error.getStatus().getDescription()).as("message of %s", error).isNotBlank();
    assertThat(error.getStatus().getDescription().replace(" ", "").toLowerCase())
        .as("message of %s", error)
        .contains(messageMentions.replace(" ", "").toLowerCase());
  }

  @Test
  void startWithEmptyWorkflowIdIsInvalidArgument() {
    StatusRuntimeException error = rejected(() -> rpc().startWorkflowExecution(validStart().setWorkflowId("").build()));

    assertStatus(error, Status.Code.INVALID_ARGUMENT, "workflow id");
  }

  @Test
  void startInUnknownNamespaceIsNotFound() {
    StatusRuntimeException error =
        rejected(() -> rpc().startWorkflowExecution(validStart().setNamespace("no-such-namespace").build()));

    assertStatus(error, Status.Code.NOT_FOUND, "no-such-namespace");
    assertThat(StatusUtils.hasFailure(error, NamespaceNotFoundFailure.class)).isTrue();
    assertThat(StatusUtils.getFailure(error, NamespaceNotFoundFailure.class).getNamespace()).isEqualTo("no-such-namespace");
  }

  @Test
  void startWithWorkflowIdLongerThanTheLimitIsInvalidArgument() {
    StatusRuntimeException error =
        rejected(() -> rpc().startWorkflowExecution(validStart().setWorkflowId("w".repeat(MAX_ID_LENGTH + 1)).build()));

    assertStatus(error, Status.Code.INVALID_ARGUMENT, "workflow id");
  }

  @Test
  void startWithWorkflowIdAtTheLimitIsAccepted() {
    String workflowId = "w".repeat(MAX_ID_LENGTH);

    var response = rpc().startWorkflowExecution(validStart().setWorkflowId(workflowId).build());

    assertThat(response.getRunId()).isNotEmpty();
  }

  @Test
  void startWithInputOverTheBlobSizeLimitIsInvalidArgument() {
    Payload oversized = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFrom("binary/plain", StandardCharsets.UTF_8))
        .setData(ByteString.copyFrom(new byte[BLOB_SIZE_LIMIT_BYTES + 512 * 1024]))
        .build();

    StatusRuntimeException error = rejected(() -> rpc().startWorkflowExecution(
        validStart().setInput(Payloads.newBuilder().addPayloads(oversized)).build()));

    assertStatus(error, Status.Code.INVALID_ARGUMENT, "size");
  }

  @Test
  void startWithoutTaskQueueIsInvalidArgument() {
    StatusRuntimeException error = rejected(() -> rpc().startWorkflowExecution(validStart().clearTaskQueue().build()));

    assertStatus(error, Status.Code.INVALID_ARGUMENT, "task queue");
  }

  @Test
  void completingAnActivityWithAGarbageTaskTokenIsInvalidArgument() {
    ByteString garbage = ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 'n', 'o', 'p', 'e'});

    StatusRuntimeException error = rejected(() -> rpc().respondActivityTaskCompleted(
        RespondActivityTaskCompletedRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setTaskToken(garbage)
            .setIdentity("BadInputIT")
            .build()));

    assertStatus(error, Status.Code.INVALID_ARGUMENT, "task token");
  }

  @Test
  void describingAnUnknownWorkflowIsNotFound() {
    StatusRuntimeException error = rejected(() -> rpc().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("never-started"))
            .build()));

    assertStatus(error, Status.Code.NOT_FOUND, "not found");
    assertThat(StatusUtils.hasFailure(error, NotFoundFailure.class)).isTrue();
  }

  @Test
  void registeringAnExistingNamespaceIsAlreadyExists() {
    StatusRuntimeException error = rejected(() -> rpc().registerNamespace(
        RegisterNamespaceRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setWorkflowExecutionRetentionPeriod(Durations.fromDays(1))
            .build()));

    assertStatus(error, Status.Code.ALREADY_EXISTS, "already exists");
    assertThat(StatusUtils.hasFailure(error, NamespaceAlreadyExistsFailure.class)).isTrue();
  }

  @Test
  void serverKeepsServingAfterRejectingBadRequests() {
    rejected(() -> rpc().startWorkflowExecution(validStart().setWorkflowId("").build()));
    rejected(() -> rpc().startWorkflowExecution(validStart().setNamespace("no-such-namespace").build()));

    var response = rpc().startWorkflowExecution(validStart().build());

    assertThat(response.getRunId()).isNotEmpty();
  }
}
