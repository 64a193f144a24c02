package dev.hourglass.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hourglass.common.ExecutionKey;
import dev.hourglass.common.InvalidArgumentException;
import io.temporal.api.common.v1.Link;
import io.temporal.api.enums.v1.EventType;
import org.junit.jupiter.api.Test;

/** The references Nexus requests carry: task tokens, the callback's operation reference, and links. */
class NexusReferencesTest {
  private static final ExecutionKey CALLER = new ExecutionKey("ns-id", "order 42/ü", "run-1");

  @Test
  void taskTokensRoundTripAndAreNotWorkflowTaskTokens() {
    NexusTaskToken token = new NexusTaskToken(CALLER, 5, 3, true);
    assertThat(NexusTaskToken.decode(token.encode())).isEqualTo(token);
    assertThatThrownBy(() -> NexusTaskToken.decode(new TaskToken(CALLER, true, 5, 1).encode()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not a Nexus task token");
  }

  @Test
  void operationReferencesRoundTripAndForeignValuesAreIgnored() {
    NexusOperationRef ref = new NexusOperationRef(CALLER, 5, "request-1");
    assertThat(NexusOperationRef.decode(ref.encode())).contains(ref);
    assertThat(NexusOperationRef.decode("not base64 !")).isEmpty();
    assertThat(NexusOperationRef.decode("AAAA")).isEmpty();
  }

  @Test
  void workflowEventLinksInBothEventTypeSpellings() {
    Link link = NexusLinks.toWorkflowEvent(io.temporal.api.nexus.v1.Link.newBuilder()
        .setType(Link.WorkflowEvent.getDescriptor().getFullName())
        .setUrl("temporal:///namespaces/default/workflows/order%2042/run-1/history?referenceType=EventReference&eventID=5"
            + "&eventType=NexusOperationScheduled")
        .build()).orElseThrow();
    assertThat(link.getWorkflowEvent().getWorkflowId()).isEqualTo("order 42");
    assertThat(link.getWorkflowEvent().getEventRef().getEventId()).isEqualTo(5);
    assertThat(link.getWorkflowEvent().getEventRef().getEventType()).isEqualTo(EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED);

    Link byRequest = NexusLinks.toWorkflowEvent(io.temporal.api.nexus.v1.Link.newBuilder()
        .setType(Link.WorkflowEvent.getDescriptor().getFullName())
        .setUrl("temporal:///namespaces/default/workflows/w/r/history?referenceType=RequestIdReference&requestID=abc"
            + "&eventType=EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED")
        .build()).orElseThrow();
    assertThat(byRequest.getWorkflowEvent().getRequestIdRef().getRequestId()).isEqualTo("abc");
    assertThat(byRequest.getWorkflowEvent().getRequestIdRef().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);

    assertThat(NexusLinks.toWorkflowEvent(io.temporal.api.nexus.v1.Link.newBuilder().setType("other").setUrl("https://x").build()))
        .isEmpty();
  }
}
