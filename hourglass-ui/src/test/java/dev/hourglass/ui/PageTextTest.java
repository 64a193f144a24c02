package dev.hourglass.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.schedule.v1.IntervalSpec;
import io.temporal.api.schedule.v1.Range;
import io.temporal.api.schedule.v1.ScheduleSpec;
import io.temporal.api.schedule.v1.StructuredCalendarSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text the pages derive from the API's messages: list filters, links, payloads, schedule specs. */
class PageTextTest {
  @Test
  void quickFiltersJoinTheTypedFilterKeepingItsOrderByLast() {
    assertThat(WorkflowListPage.combine("", "", "")).isEmpty();
    assertThat(WorkflowListPage.combine("WorkflowId STARTS_WITH 'a'", "", "")).isEqualTo("WorkflowId STARTS_WITH 'a'");
    assertThat(WorkflowListPage.combine("A = 1 OR B = 2 ORDER BY StartTime ASC", "Running", "It's"))
        .isEqualTo("(A = 1 OR B = 2) AND ExecutionStatus = 'Running' AND WorkflowType = 'It\\'s' ORDER BY StartTime ASC");
  }

  @Test
  void idsWithSlashesStayOnePathSegment() {
    String link = Links.workflow("default", "orders/42 a+b", "run-1");
    assertThat(link).isEqualTo("/namespaces/default/workflows/orders%2F42%20a%2Bb/run-1");
    assertThat(Request.parse("GET", link, null, null).segments()).containsExactly("namespaces", "default", "workflows", "orders/42 a+b", "run-1");
  }

  @Test
  void payloadsAreDecodedAsJsonWhereverTheyAre() {
    Payload json = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("{\"amount\":10}")).build();
    Payload bytes = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
        .setData(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    assertThat(PayloadText.text(json)).isEqualTo("{\n  \"amount\" : 10\n}");
    assertThat(PayloadText.shortText(bytes)).isEqualTo("{\"encoding\":\"binary/plain\",\"base64\":\"AQID\"}");
    String attributes = PayloadText.messageText(ActivityTaskCompletedEventAttributes.newBuilder()
        .setResult(Payloads.newBuilder().addPayloads(json)).setScheduledEventId(5).build());
    assertThat(attributes).contains("\"result\" : {\n    \"amount\" : 10\n  }").contains("\"scheduledEventId\" : \"5\"");
  }

  @Test
  void schedulesSpecsInWords() {
    ScheduleSpec nightly = ScheduleSpec.newBuilder().addStructuredCalendar(StructuredCalendarSpec.newBuilder()
        .addSecond(Range.newBuilder().setStep(1)).addMinute(Range.newBuilder().setStep(1))
        .addHour(Range.newBuilder().setStart(2).setEnd(2).setStep(1))
        .addDayOfMonth(Range.newBuilder().setStart(1).setEnd(31).setStep(1)).addMonth(Range.newBuilder().setStart(1).setEnd(12).setStep(1))
        .addDayOfWeek(Range.newBuilder().setStep(1)).addDayOfWeek(Range.newBuilder().setEnd(6).setStep(1))).build();
    ScheduleSpec weekdays = ScheduleSpec.newBuilder().addStructuredCalendar(StructuredCalendarSpec.newBuilder()
        .addHour(Range.newBuilder().setStart(9)).addMinute(Range.newBuilder().setStart(30))
        .addDayOfWeek(Range.newBuilder().setStart(1).setEnd(5))).build();
    ScheduleSpec hourly = ScheduleSpec.newBuilder().addInterval(IntervalSpec.newBuilder()
        .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(3600))).build();
    assertThat(ScheduleSpecText.lines(nightly)).isEqualTo(List.of("at 02:00 every day"));
    assertThat(ScheduleSpecText.lines(weekdays)).isEqualTo(List.of("at 09:30 on Mon–Fri"));
    assertThat(ScheduleSpecText.lines(hourly)).isEqualTo(List.of("every 1 h"));
  }
}
