package dev.hourglass.timers;

import com.google.protobuf.Timestamp;
import dev.hourglass.timers.workflow.TimerSpec;
import dev.hourglass.timers.workflow.TimerWorkflow;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.Worker;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a made-up history of one overdue timer on the worker before it polls. A fresh JVM
 * spends seconds loading the SDK's replay machinery and the workflow's classes on its first
 * workflow task; done here, the timers that came due while the system was down fire as soon as
 * the worker's first polls are answered, and the SDK's deadlock detector (a workflow thread
 * blocked over 1 s, class loading included) has nothing to trip on.
 */
final class WorkerWarmUp {
  private static final Logger log = LoggerFactory.getLogger(WorkerWarmUp.class);

  private WorkerWarmUp() {}

  static void run(Worker worker, String taskQueue) {
    long started = System.nanoTime();
    try {
      worker.replayWorkflowExecution(new WorkflowExecutionHistory(overdueTimer(taskQueue), "warm-up"));
      log.atDebug().addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log("Worker warmed up");
    } catch (Exception e) {
      // Only an optimisation: the worker works without it.
      log.atWarn().setCause(e).log("Worker warm-up failed");
    }
  }

  /** Started, workflow task scheduled and started: the replay runs the workflow up to its webhook call. */
  private static History overdueTimer(String taskQueue) {
    Timestamp now = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build();
    TaskQueue queue = TaskQueue.newBuilder().setName(taskQueue).build();
    TimerSpec spec = new TimerSpec("http://127.0.0.1:9/warm-up", 0);
    return History.newBuilder()
        .addEvents(HistoryEvent.newBuilder().setEventId(1).setEventTime(now).setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
            .setWorkflowExecutionStartedEventAttributes(WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(WorkflowType.newBuilder().setName(TimerWorkflow.TYPE))
                .setTaskQueue(queue)
                .setInput(DefaultDataConverter.newDefaultInstance().toPayloads(spec).orElseThrow())
                .setOriginalExecutionRunId("warm-up-run")
                .setFirstExecutionRunId("warm-up-run")
                .setWorkflowId("00000000-0000-4000-8000-000000000000")
                .setAttempt(1)))
        .addEvents(HistoryEvent.newBuilder().setEventId(2).setEventTime(now).setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
            .setWorkflowTaskScheduledEventAttributes(WorkflowTaskScheduledEventAttributes.newBuilder()
                .setTaskQueue(queue)
                .setStartToCloseTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                .setAttempt(1)))
        .addEvents(HistoryEvent.newBuilder().setEventId(3).setEventTime(now).setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
            .setWorkflowTaskStartedEventAttributes(WorkflowTaskStartedEventAttributes.newBuilder().setScheduledEventId(2)))
        .build();
  }
}
