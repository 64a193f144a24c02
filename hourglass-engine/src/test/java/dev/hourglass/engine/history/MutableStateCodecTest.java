package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import org.junit.jupiter.api.Test;

class MutableStateCodecTest {
  @Test
  void stateWithProtobufFieldsRoundTrips() {
    MutableState state = new MutableState();
    state.namespaceId = "ns";
    state.workflowId = "wf";
    state.runId = "run";
    state.nextEventId = 12;
    state.startedAttributes = WorkflowExecutionStartedEventAttributes.newBuilder()
        .setWorkflowType(WorkflowType.newBuilder().setName("Greeting")).build();
    ActivityInfo activity = new ActivityInfo();
    activity.scheduledEventId = 5;
    activity.activityId = "a1";
    activity.attempt = 2;
    activity.attributes = ActivityTaskScheduledEventAttributes.newBuilder().setActivityType(ActivityType.newBuilder().setName("Send")).build();
    activity.heartbeatDetails = Payloads.newBuilder().addPayloads(Payload.newBuilder().setData(ByteString.copyFromUtf8("\"p-5\""))).build();
    state.activities.put(5L, activity);
    WorkflowTaskInfo task = new WorkflowTaskInfo();
    task.taskId = 99;
    task.attempt = 3;
    state.workflowTask = task;

    MutableStateCodec codec = new MutableStateCodec();
    MutableState decoded = codec.decode(codec.encode(state));

    assertThat(decoded.workflowId).isEqualTo("wf");
    assertThat(decoded.nextEventId).isEqualTo(12);
    assertThat(decoded.workflowType()).isEqualTo("Greeting");
    assertThat(decoded.activities).containsOnlyKeys(5L);
    ActivityInfo decodedActivity = decoded.activities.get(5L);
    assertThat(decodedActivity.attempt).isEqualTo(2);
    assertThat(decodedActivity.attributes.getActivityType().getName()).isEqualTo("Send");
    assertThat(decodedActivity.heartbeatDetails).isEqualTo(activity.heartbeatDetails);
    assertThat(decoded.workflowTask.isTransient()).isTrue();
    assertThat(decoded.workflowTask.taskId).isEqualTo(99);
  }
}
