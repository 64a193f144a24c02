package dev.hourglass.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCommandTest {
  private final JsonLine json = new JsonLine();

  @Test
  void resultLinesUseSnakeCaseKeys() throws Exception {
    JsonNode line = json.mapper().readTree(json.write(workflows("reference", 500.0, 20.0)));

    assertThat(line.has("p50_ms")).isTrue();
    assertThat(line.has("timed_out")).isTrue();
    assertThat(line.get("benchmark").asText()).isEqualTo("workflows");
  }

  @Test
  void tablePairsTargetsAndShowsCandidateOverBaseline() throws Exception {
    String table = ReportCommand.table(
        parse(workflows("reference", 500.0, 20.0), workflows("hourglass", 250.0, 40.0)), "reference", "hourglass");

    assertThat(table).containsPattern("throughput \\(workflows/s\\)\\s+500\\s+250\\s+0\\.50");
    assertThat(table).containsPattern("latency p50 \\(ms\\)\\s+20\\s+40\\s+2\\.00");
  }

  @Test
  void targetThatDidNotRunIsShownAsSuch() throws Exception {
    String table = ReportCommand.table(parse(workflows("reference", 500.0, 20.0)), "reference", "hourglass");

    assertThat(table).containsPattern("throughput \\(workflows/s\\)\\s+500\\s+not run\\s+-");
    assertThat(table).containsPattern("server CPU/workflow \\(ms\\)\\s+n/a\\s+not run\\s+-");
  }

  private List<JsonNode> parse(Object... results) throws Exception {
    ObjectMapper mapper = json.mapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (Object result : results) {
      nodes.add(mapper.readTree(json.write(result)));
    }
    return nodes;
  }

  private static WorkflowsCommand.WorkflowsResult workflows(String target, double throughput, double p50Millis) {
    return new WorkflowsCommand.WorkflowsResult(
        target, "workflows", "activity", 2000, 200, 500, 2000, 0, 0, 4.0, throughput, p50Millis, 30, 40, 50, 3.0, -1, -1, 1.0, 1.5);
  }
}
