package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.server.testing.TestingHourglassServer;
import dev.hourglass.tests.support.SdkEnvironment;
import io.grpc.Status;
import io.temporal.api.nexus.v1.Endpoint;
import io.temporal.api.nexus.v1.EndpointSpec;
import io.temporal.api.nexus.v1.EndpointTarget;
import io.temporal.api.operatorservice.v1.CreateNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.DeleteNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.GetNexusEndpointRequest;
import io.temporal.api.operatorservice.v1.ListNexusEndpointsRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.UpdateNexusEndpointRequest;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nexus endpoints as the SDK's test setups manage them: persisted, versioned records (no Nexus routing yet). */
@Timeout(60)
class NexusEndpointIT {
  @TempDir Path dataDir;
  private TestingHourglassServer server;
  private SdkEnvironment sdk;

  @BeforeEach
  void start() {
    server = new TestingHourglassServer(dataDir);
    sdk = SdkEnvironment.connect(server.target());
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void endpointsAreCreatedReadUpdatedAndDeletedWithVersions() {
    Endpoint created = operator().createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(spec("test-endpoint-1", "q1"))
        .build()).getEndpoint();
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getId()).isNotEmpty();
    assertThat(created.getSpec().getTarget().getWorker().getTaskQueue()).isEqualTo("q1");

    server.restart();
    sdk.close();
    sdk = SdkEnvironment.connect(server.target());
    assertThat(operator().getNexusEndpoint(GetNexusEndpointRequest.newBuilder().setId(created.getId()).build()).getEndpoint())
        .isEqualTo(created);
    assertThat(operator().listNexusEndpoints(ListNexusEndpointsRequest.newBuilder().build()).getEndpointsList())
        .extracting(endpoint -> endpoint.getSpec().getName()).containsExactly("test-endpoint-1");
    assertCode(() -> operator().createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(spec("test-endpoint-1", "q2"))
        .build()), Status.Code.ALREADY_EXISTS);
    assertCode(() -> operator().createNexusEndpoint(CreateNexusEndpointRequest.newBuilder().setSpec(spec("bad name", "q2"))
        .build()), Status.Code.INVALID_ARGUMENT);

    Endpoint updated = operator().updateNexusEndpoint(UpdateNexusEndpointRequest.newBuilder().setId(created.getId()).setVersion(1)
        .setSpec(spec("test-endpoint-1", "q3")).build()).getEndpoint();
    assertThat(updated.getVersion()).isEqualTo(2);
    assertCode(() -> operator().updateNexusEndpoint(UpdateNexusEndpointRequest.newBuilder().setId(created.getId()).setVersion(1)
        .setSpec(spec("test-endpoint-1", "q4")).build()), Status.Code.FAILED_PRECONDITION);

    operator().deleteNexusEndpoint(DeleteNexusEndpointRequest.newBuilder().setId(created.getId()).setVersion(2).build());
    assertCode(() -> operator().getNexusEndpoint(GetNexusEndpointRequest.newBuilder().setId(created.getId()).build()),
        Status.Code.NOT_FOUND);
  }

  private OperatorServiceGrpc.OperatorServiceBlockingStub operator() {
    return OperatorServiceGrpc.newBlockingStub(sdk.service().getRawChannel());
  }

  private static EndpointSpec spec(String name, String taskQueue) {
    return EndpointSpec.newBuilder().setName(name).setTarget(EndpointTarget.newBuilder()
        .setWorker(EndpointTarget.Worker.newBuilder().setNamespace(SdkEnvironment.NAMESPACE).setTaskQueue(taskQueue))).build();
  }

  private static void assertCode(ThrowingCallable call, Status.Code code) {
    assertThatThrownBy(call).satisfies(error -> assertThat(Status.fromThrowable(error).getCode()).isEqualTo(code));
  }
}
