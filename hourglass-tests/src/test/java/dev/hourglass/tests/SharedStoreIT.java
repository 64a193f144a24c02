package dev.hourglass.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hourglass.server.testing.TestingStore;
import dev.hourglass.store.StoreConfig;
import dev.hourglass.tests.support.SdkEnvironment;
import dev.hourglass.tests.support.ServerProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes pointed at one store. A second process must never let two processes write
 * one shard: on SQLite it refuses to start (the file is locked); on PostgreSQL it takes every
 * shard under a new range id, and the first process, fenced, logs that it lost them and answers
 * UNAVAILABLE instead of writing. (Handing shards over among live processes is later work.)
 */
@Timeout(120)
class SharedStoreIT {
  private static final String TASK_QUEUE = "shared-store";

  @TempDir Path dataDir;
  private TestingStore store;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<SdkEnvironment> environments = new ArrayList<>();

  @WorkflowInterface
  public interface GreetingWorkflow {
    @WorkflowMethod
    String greet(String name);
  }

  public static class GreetingWorkflowImpl implements GreetingWorkflow {
    @Override
    public String greet(String name) {
      Workflow.sleep(Duration.ofMillis(100));
      return "hello " + name;
    }
  }

  @AfterEach
  void stopEverything() {
    environments.forEach(SdkEnvironment::close);
    processes.forEach(ServerProcess::close);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aSecondProcessOnTheSameStoreNeverLetsTwoProcessesWriteOneShard() throws Exception {
    store = TestingStore.create(dataDir);
    Path logs = Files.createDirectories(Path.of("target", "server-logs"));
    Path firstLog = logs.resolve("SharedStoreIT-first.log");
    Path secondLog = logs.resolve("SharedStoreIT-second.log");
    Files.deleteIfExists(firstLog);
    Files.deleteIfExists(secondLog);
    ServerProcess first = start(firstLog);
    SdkEnvironment onFirst = connect(first);
    assertThat(greet(onFirst, "before")).isEqualTo("hello before");

    if (store.config() instanceof StoreConfig.Sqlite) {
      IllegalStateException refused = catchThrowableOfType(() -> start(secondLog), IllegalStateException.class);
      assertThat(refused).hasMessageContaining("in use by another Hourglass process");
      assertThat(greet(onFirst, "still-first")).isEqualTo("hello still-first");
      return;
    }

    ServerProcess second = start(secondLog);
    StatusRuntimeException fenced = catchThrowableOfType(() -> onFirst.service().blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setWorkflowId("on-the-fenced-process")
            .setWorkflowType(WorkflowType.newBuilder().setName("GreetingWorkflow"))
            .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
            .setRequestId(UUID.randomUUID().toString())
            .build()), StatusRuntimeException.class);
    assertThat(fenced.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(fenced.getStatus().getDescription()).contains("shard");
    assertThat(Files.readString(firstLog)).contains("was taken by another Hourglass process on the same database");

    SdkEnvironment onSecond = connect(second);
    assertThat(greet(onSecond, "after")).isEqualTo("hello after");
    assertThat(onSecond.client().newUntypedWorkflowStub("before").describe().getWorkflowExecutionInfo().getStatus())
        .as("the first process's workflow, read through the second").isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    StatusRuntimeException notWritten = catchThrowableOfType(() -> onSecond.service().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(SdkEnvironment.NAMESPACE)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("on-the-fenced-process"))
            .build()), StatusRuntimeException.class);
    assertThat(notWritten.getStatus().getCode()).as("nothing the fenced process was asked to write").isEqualTo(Status.Code.NOT_FOUND);
  }

  private ServerProcess start(Path log) {
    ServerProcess process = ServerProcess.start(store.config(), ServerProcess.freePort(), log);
    processes.add(process);
    return process;
  }

  private SdkEnvironment connect(ServerProcess process) {
    SdkEnvironment environment = SdkEnvironment.connect(process.target());
    environments.add(environment);
    environment.startWorker(TASK_QUEUE, worker -> worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class));
    return environment;
  }

  private static String greet(SdkEnvironment environment, String name) {
    GreetingWorkflow workflow = environment.client().newWorkflowStub(GreetingWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(name).build());
    return workflow.greet(name);
  }
}
