package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hourglass.server.HourglassServer;
import dev.hourglass.server.ServerOptions;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.server.tls.TlsOptions;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.StepWorkflows;
import dev.hourglass.tests.support.StepWorkflows.CountingActivities;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflow;
import dev.hourglass.tests.support.StepWorkflows.StepsWorkflowImpl;
import dev.hourglass.tests.support.TestCertificates;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one PostgreSQL database, both serving mutual TLS, the SDK connected to the
 * standby: every call it makes is forwarded to the active process over TLS, presenting the
 * standby's own certificate (a plain-text or certificate-less forward would be refused).
 */
@Timeout(120)
class ClusterTlsIT {
  private static final String TASK_QUEUE = "cluster-tls";

  @TempDir Path directory;
  private TestingStore store;
  private final List<HourglassServer> servers = new ArrayList<>();
  private SdkEnvironment sdk;

  @AfterEach
  void stop() {
    if (sdk != null) {
      sdk.close();
    }
    servers.forEach(HourglassServer::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aWorkflowStartedThroughTheStandbyCompletesWithEveryCallForwardedOverMutualTls() {
    store = TestingStore.create(directory.resolve("store"));
    assumeTrue(store.config() instanceof StoreConfig.Postgres, "only processes on PostgreSQL share a database");
    TestCertificates certificates = TestCertificates.create(directory);
    TlsOptions tls = TlsOptions.mutual(certificates.serverCertificate(), certificates.serverKey(), certificates.caCertificate());
    HourglassServer active = start(tls);
    HourglassServer standby = start(tls);
    assertThat(active.cluster().ownsShards()).isTrue();
    assertThat(standby.cluster().ownsShards()).isFalse();

    sdk = SdkEnvironment.connect(standby.target(), certificates.sdkContextWithClientCertificate());
    sdk.startWorker(TASK_QUEUE, worker -> {
      worker.registerWorkflowImplementationTypes(StepsWorkflowImpl.class);
      worker.registerActivitiesImplementations(new CountingActivities());
    });
    StepsWorkflow workflow = sdk.client().newWorkflowStub(StepsWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("through-the-standby").build());
    assertThat(workflow.run(2)).isEqualTo(StepWorkflows.expectedResult("through-the-standby", 2));
    assertThat(standby.cluster().ownsShards()).as("the standby forwarded; it never ran the workflow").isFalse();
  }

  private HourglassServer start(TlsOptions tls) {
    HourglassServer server = HourglassServer.start(ServerOptions.defaults().withPort(0).withStore(store.config()).withTls(tls));
    servers.add(server);
    return server;
  }
}
