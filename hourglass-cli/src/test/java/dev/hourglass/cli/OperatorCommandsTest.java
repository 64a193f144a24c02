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

/** {@code hourglass operator …} against a running server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path directory;

  private TestingHourglassServer server;
  private CliHarness cli;

  @BeforeAll
  void startServer() {
    server = new TestingHourglassServer(directory);
    cli = CliHarness.forServer(server.target());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void createDescribeUpdateAndListANamespace() throws Exception {
    CliResult created = cli.run("operator", "namespace", "create", "orders", "--retention", "48h", "--description", "Order processing",
        "--email", "ops@example.com", "--data", "team=payments");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("Namespace orders created\n");

    CliResult described = cli.run("operator", "namespace", "describe", "-n", "orders");
    assertThat(described.out()).containsPattern("Name\\s+orders").containsPattern("State\\s+Registered")
        .containsPattern("Description\\s+Order processing").containsPattern("OwnerEmail\\s+ops@example.com")
        .containsPattern("Retention\\s+2d").containsPattern("Data.team\\s+payments");

    CliResult updated = cli.run("operator", "namespace", "update", "orders", "--description", "Orders", "--retention", "72h");
    assertThat(updated.exitCode()).as(updated.toString()).isZero();
    assertThat(updated.out()).containsPattern("Description\\s+Orders").containsPattern("Retention\\s+3d")
        .containsPattern("OwnerEmail\\s+ops@example.com");

    JsonNode json = JSON.readTree(cli.run("operator", "namespace", "describe", "orders", "-o", "json").out());
    assertThat(json.at("/namespaceInfo/name").asText()).isEqualTo("orders");
    assertThat(json.at("/namespaceInfo/description").asText()).isEqualTo("Orders");
    assertThat(json.at("/config/workflowExecutionRetentionTtl").asText()).isEqualTo("259200s");

    CliResult listed = cli.run("operator", "namespace", "list");
    assertThat(listed.out().lines().findFirst().orElseThrow()).matches("\\s+Name\\s+State\\s+Retention\\s+Description");
    assertThat(listed.out()).containsPattern("default\\s+Registered\\s+1d").containsPattern("orders\\s+Registered\\s+3d\\s+Orders");
    List<String> names = new ArrayList<>();
    JSON.readTree(cli.run("operator", "namespace", "list", "-o", "json").out())
        .forEach(namespace -> names.add(namespace.at("/namespaceInfo/name").asText()));
    assertThat(names).contains("default", "orders");
  }

  @Test
  void namespaceAndSearchAttributeChangesAsJson() throws Exception {
    CliResult created = cli.run("operator", "namespace", "create", "json-ns", "-o", "json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(JSON.readTree(created.out()).isObject()).isTrue();
    CliResult updated = cli.run("operator", "namespace", "update", "json-ns", "--description", "as json", "-o", "json");
    assertThat(updated.exitCode()).as(updated.toString()).isZero();
    assertThat(JSON.readTree(updated.out()).at("/namespaceInfo/description").asText()).isEqualTo("as json");

    CliResult added = cli.run("operator", "search-attribute", "create", "-n", "json-ns", "--name", "Region", "--type", "Keyword",
        "-o", "json");
    assertThat(added.exitCode()).as(added.toString()).isZero();
    assertThat(JSON.readTree(added.out()).isObject()).isTrue();
    CliResult removed = cli.run("operator", "search-attribute", "remove", "-n", "json-ns", "--name", "Region", "-o", "json");
    assertThat(removed.exitCode()).as(removed.toString()).isZero();
    assertThat(JSON.readTree(removed.out()).isObject()).isTrue();

    CliResult unknown = cli.run("operator", "namespace", "update", "no-such-ns", "--description", "x");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("Error: NOT_FOUND: ").hasLineCount(1);
  }

  @Test
  void describeTheClusterShowsThisProcessAsTheActiveMember() throws Exception {
    CliResult described = cli.run("operator", "cluster", "describe");
    assertThat(described.exitCode()).as(described.toString()).isZero();
    assertThat(described.out()).containsPattern("HistoryShardCount\\s+16")
        .containsPattern("Member\\s+Address\\s+Role\\s+StartedAt\\s+LastHeartbeat")
        .containsPattern("127\\.0\\.0\\.1:" + server.port() + "\\s+active");

    JsonNode json = JSON.readTree(cli.run("operator", "cluster", "describe", "-o", "json").out());
    assertThat(json.at("/members")).hasSize(1);
    assertThat(json.at("/members/0/memberId").asText()).isEqualTo(json.at("/activeMember").asText()).isEqualTo(json.at("/self").asText());
    assertThat(json.at("/members/0/active").asBoolean()).isTrue();
  }

  @Test
  void creatingAnExistingNamespaceFails() {
    CliResult result = cli.run("operator", "namespace", "create", "default");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: ALREADY_EXISTS: ").hasLineCount(1);
  }

  @Test
  void unknownNamespaceIsNotFound() {
    CliResult result = cli.run("operator", "namespace", "describe", "nowhere");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("Error: NOT_FOUND: ").contains("nowhere");
  }

  @Test
  void updateWithoutChangesIsAUsageError() {
    CliResult result = cli.run("operator", "namespace", "update", "default");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Nothing to update");
  }

  @Test
  void searchAttributeTypesAreChecked() {
    CliResult result = cli.run("operator", "search-attribute", "create", "--name", "CustomerId", "--type", "Number");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Invalid --type 'Number': expected one of Text, Keyword, Int, Double, Bool, Datetime, KeywordList");
  }
}
