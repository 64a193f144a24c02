package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.update.v1.Acceptance;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import org.junit.jupiter.api.Test;

/** The durable part of Workflow Update and the rule that drops a speculative workflow task. */
class UpdateStateTest {
  private static MutableState stateWithSpeculativeTask() {
    MutableState state = new MutableState();
    state.workflowId = "wf";
    state.nextEventId = 8;
    state.startedAttributes = WorkflowExecutionStartedEventAttributes.newBuilder()
        .setWorkflowType(WorkflowType.newBuilder().setName("Counter")).build();
    WorkflowTaskInfo task = new WorkflowTaskInfo();
    task.speculative = true;
    task.speculativeNextEventId = 8;
    state.workflowTask = task;
    return state;
  }

  private static Message message(com.google.protobuf.Message body) {
    return Message.newBuilder().setId("u1/x").setProtocolInstanceId("u1").setBody(Any.pack(body)).build();
  }

  @Test
  void acceptedUpdatesAndSpeculativeTasksSurviveEncoding() {
    MutableState state = stateWithSpeculativeTask();
    UpdateInfo info = new UpdateInfo();
    info.acceptedEventId = 5;
    info.completedEventId = 6;
    state.updates.put("u1", info);

    MutableStateCodec codec = new MutableStateCodec();
    MutableState decoded = codec.decode(codec.encode(state));

    assertThat(decoded.updates).containsOnlyKeys("u1");
    assertThat(decoded.updates.get("u1").acceptedEventId).isEqualTo(5);
    assertThat(decoded.updates.get("u1").completed()).isTrue();
    assertThat(decoded.workflowTask.speculative).isTrue();
    assertThat(decoded.workflowTask.isTransient()).isTrue();
    assertThat(decoded.workflowTask.speculativeNextEventId).isEqualTo(8);
  }

  @Test
  void speculativeTaskIsDroppedOnlyWhenTheWorkerDidNothingButReject() {
    MutableState state = stateWithSpeculativeTask();
    RespondWorkflowTaskCompletedRequest onlyRejection = RespondWorkflowTaskCompletedRequest.newBuilder()
        .addMessages(message(Rejection.getDefaultInstance())).build();
    assertThat(Updates.discardable(state, onlyRejection)).isTrue();

    RespondWorkflowTaskCompletedRequest acceptance = RespondWorkflowTaskCompletedRequest.newBuilder()
        .addMessages(message(Acceptance.getDefaultInstance()))
        .addCommands(Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE)).build();
    assertThat(Updates.discardable(state, acceptance)).isFalse();

    state.nextEventId = 9; // a signal arrived while the task waited to be picked up: the worker saw it
    assertThat(Updates.discardable(state, onlyRejection)).isFalse();

    MutableState normal = stateWithSpeculativeTask();
    normal.workflowTask.speculative = false;
    assertThat(Updates.discardable(normal, onlyRejection)).isFalse();
  }
}
