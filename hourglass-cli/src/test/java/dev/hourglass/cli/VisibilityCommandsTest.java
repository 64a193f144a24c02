package dev.hourglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hourglass.cli.CliHarness.CliResult;
import dev.hourglass.server.testing.TestingHourglassServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workflow list}/{@code count} and {@code operator search-attribute} against a server with
 * visibility: custom attributes created, set at start, filtered on, grouped by status, removed.
 * No worker: the workflows stay running or are terminated, which is all listing needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisibilityCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;

  private TestingHourglassServer server;
  private CliHarness cli;

  @BeforeAll
  void startServer() {
    server = new TestingHourglassServer(directory, List.of("shop"));
    cli = CliHarness.forServer(server.target());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void searchAttributesListCountAndRemove() throws Exception {
    CliResult created = cli.run("operator", "search-attribute", "create", "-n", "shop", "--name", "CustomerId", "--type", "Keyword",
        "--name", "Amount", "--type", "Int");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("Search attributes added: CustomerId, Amount\n");

    CliResult attributes = cli.run("operator", "search-attribute", "list", "-n", "shop");
    assertThat(attributes.out()).containsPattern("CustomerId\\s+Keyword\\s+Custom").containsPattern("Amount\\s+Int\\s+Custom")
        .containsPattern("WorkflowId\\s+Keyword\\s+System");

    for (int i = 1; i <= 3; i++) {
      CliResult started = cli.run("workflow", "start", "-n", "shop", "--type", i == 3 ? "Refund" : "Order", "-t", "shop-queue",
          "-w", "order-" + i, "--search-attribute", "CustomerId=\"c-" + (i % 2) + "\"", "--search-attribute", "Amount=" + (i * 100));
      assertThat(started.exitCode()).as(started.toString()).isZero();
    }
    cli.run("workflow", "terminate", "-n", "shop", "-w", "order-3", "--reason", "test");

    CliResult orders = cli.run("workflow", "list", "-n", "shop", "-q", "CustomerId = 'c-1' AND Amount >= 100");
    assertThat(orders.exitCode()).as(orders.toString()).isZero();
    assertThat(orders.out().lines().findFirst().orElseThrow()).matches("\\s+Status\\s+WorkflowId\\s+Type\\s+StartTime");
    assertThat(orders.out()).containsPattern("Running\\s+order-1\\s+Order").containsPattern("Terminated\\s+order-3\\s+Refund")
        .doesNotContain("order-2");

    JsonNode listed = JSON.readTree(cli.run("workflow", "list", "-n", "shop", "-q", "WorkflowType = 'Order'", "-o", "json").out());
    List<String> ids = new ArrayList<>();
    listed.forEach(execution -> ids.add(execution.at("/execution/workflowId").asText()));
    assertThat(ids).containsExactlyInAnyOrder("order-1", "order-2");
    assertThat(listed.get(0).at("/searchAttributes/indexedFields/CustomerId").asText()).startsWith("c-");

    CliResult limited = cli.run("workflow", "list", "-n", "shop", "--limit", "1", "-o", "json");
    assertThat(JSON.readTree(limited.out())).hasSize(1);

    CliResult count = cli.run("workflow", "count", "-n", "shop");
    assertThat(count.out()).isEqualTo("Total: 3\n");
    CliResult grouped = cli.run("workflow", "count", "-n", "shop", "-q", "GROUP BY ExecutionStatus");
    assertThat(grouped.out()).startsWith("Total: 3\n").containsPattern("Running\\s+2").containsPattern("Terminated\\s+1");
    JsonNode countJson = JSON.readTree(cli.run("workflow", "count", "-n", "shop", "-q", "ExecutionStatus = 'Running'", "-o", "json").out());
    assertThat(countJson.get("count").asText()).isEqualTo("2");

    CliResult removed = cli.run("operator", "search-attribute", "remove", "-n", "shop", "--name", "Amount");
    assertThat(removed.exitCode()).as(removed.toString()).isZero();
    assertThat(cli.run("operator", "search-attribute", "list", "-n", "shop").out()).doesNotContain("Amount");
    JsonNode attributesJson = JSON.readTree(cli.run("operator", "search-attribute", "list", "-n", "shop", "-o", "json").out());
    assertThat(attributesJson.at("/customAttributes/CustomerId").asText()).isEqualTo("INDEXED_VALUE_TYPE_KEYWORD");
    CliResult wrongType = cli.run("operator", "search-attribute", "create", "-n", "shop", "--name", "CustomerId", "--type", "Int");
    assertThat(wrongType.exitCode()).as(wrongType.toString()).isEqualTo(1);
    assertThat(wrongType.err()).startsWith("Error: ").hasLineCount(1);
  }

  @Test
  void malformedQueryIsAServerErrorOnOneLine() {
    CliResult result = cli.run("workflow", "list", "-q", "WorkflowType = ");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: INVALID_ARGUMENT: invalid query").hasLineCount(1);
  }
}
