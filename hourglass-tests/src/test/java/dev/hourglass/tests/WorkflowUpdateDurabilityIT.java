package dev.hourglass.tests;

import static io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hourglass.tests.WorkflowUpdateIT.CounterWorkflow;
import dev.hourglass.tests.WorkflowUpdateIT.CounterWorkflowImpl;
import dev.hourglass.tests.support.HistoryProbe;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.tests.support.ServerProcess;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Accepted and completed updates are in history: a SIGKILL of the server loses neither. */
@Timeout(180)
class WorkflowUpdateDurabilityIT {
  private static final String TASK_QUEUE = "update-durability";

  @TempDir Path dataDir;
  private final List<ServerProcess> serverProcesses = new ArrayList<>();
  private SdkEnvironment sdk;

  private TestingStore store;

  @AfterEach
  void stop() {
    if (sdk != null) {
      sdk.close();
    }
    serverProcesses.forEach(ServerProcess::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void acceptedUpdateCompletesAndCompletedUpdateIsRememberedAfterTheServerIsKilled() throws Exception {
    store = TestingStore.create(dataDir);
    Path serverLog = Files.createDirectories(Path.of("target", "server-logs")).resolve("WorkflowUpdateDurabilityIT.log");
    Files.deleteIfExists(serverLog);
    int port = ServerProcess.freePort();
    ServerProcess doomed = ServerProcess.start(store.config(), port, serverLog);
    serverProcesses.add(doomed);
    sdk = SdkEnvironment.connect(doomed.target());
    sdk.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(CounterWorkflowImpl.class));

    CounterWorkflow counter = sdk.client().newWorkflowStub(CounterWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("update-crash").build());
    WorkflowClient.start(counter::run);
    WorkflowStub stub = WorkflowStub.fromTyped(counter);
    UpdateOptions<Integer> addThree = UpdateOptions.newBuilder(Integer.class)
        .setUpdateName("add").setUpdateId("add-three").setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
    assertThat(stub.startUpdate(addThree, 3).getResult()).isEqualTo(3);
    WorkflowUpdateHandle<Integer> waiting = WorkflowClient.startUpdate(counter::addWhenReleased, 6,
        UpdateOptions.<Integer>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build());

    doomed.kill();
    ServerProcess restarted = ServerProcess.start(store.config(), port, serverLog);
    serverProcesses.add(restarted);

    // The handle polls the restarted server; the worker finishes the accepted update once released.
    counter.release();
    assertThat(waiting.getResultAsync().get(60, TimeUnit.SECONDS)).isEqualTo(9);
    assertThat(stub.getUpdateHandle(waiting.getId(), Integer.class).getResult()).isEqualTo(9);
    // The completed update's id is remembered: the same request gets the same outcome, not a second run.
    assertThat(stub.startUpdate(addThree, 3).getResult()).isEqualTo(3);
    counter.finish();
    assertThat(stub.getResult(30, TimeUnit.SECONDS, Integer.class)).isEqualTo(9);
    assertThat(new HistoryProbe(sdk.client()).eventTypes("update-crash"))
        .filteredOn(type -> type == EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).hasSize(2);
  }
}
