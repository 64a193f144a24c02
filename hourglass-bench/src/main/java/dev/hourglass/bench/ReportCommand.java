package dev.hourglass.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench report}: the side-by-side table {@code bench/run.sh} prints. Reads the JSON lines of
 * earlier runs (other lines are skipped), pairs the baseline's and the candidate's run of each
 * benchmark configuration, and shows both figures and candidate/baseline. For latencies a ratio
 * above 1 means the candidate is slower; for throughput, faster.
 */
@Command(name = "report", description = "Print a baseline-vs-candidate table from files of JSON result lines.")
final class ReportCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files holding the JSON lines of bench runs.")
  private List<Path> files;

  @Option(names = "--baseline", paramLabel = "LABEL", defaultValue = "reference", description = "Target compared against (default: ${DEFAULT-VALUE}).")
  private String baseline;

  @Option(names = "--candidate", paramLabel = "LABEL", defaultValue = "hourglass", description = "Target being compared (default: ${DEFAULT-VALUE}).")
  private String candidate;

  /** A figure in the table: the JSON key it comes from and how it is shown. */
  record Metric(String key, String label) {}

  private static final List<Metric> WORKFLOW_METRICS = List.of(
      new Metric("throughput", "throughput (workflows/s)"),
      new Metric("p50_ms", "latency p50 (ms)"),
      new Metric("p90_ms", "latency p90 (ms)"),
      new Metric("p99_ms", "latency p99 (ms)"),
      new Metric("max_ms", "latency max (ms)"),
      new Metric("server_cpu_ms_per_workflow", "server CPU/workflow (ms)"),
      new Metric("client_cpu_s", "client+worker CPU (s)"));

  private static final List<Metric> TIMER_METRICS = List.of(
      new Metric("fire_lag_p50_ms", "fire lag p50 (ms)"),
      new Metric("fire_lag_p90_ms", "fire lag p90 (ms)"),
      new Metric("fire_lag_p99_ms", "fire lag p99 (ms)"),
      new Metric("fire_lag_max_ms", "fire lag max (ms)"),
      new Metric("e2e_lag_p50_ms", "end-to-end lag p50 (ms)"),
      new Metric("e2e_lag_p99_ms", "end-to-end lag p99 (ms)"),
      new Metric("peak_pending", "peak pending timers"),
      new Metric("achieved_start_rate", "achieved start rate (/s)"),
      new Metric("server_cpu_s", "server CPU (s)"),
      new Metric("client_cpu_s", "client+worker CPU (s)"));

  @Override
  public Integer call() throws IOException {
    List<JsonNode> results = new ArrayList<>();
    ObjectMapper mapper = new JsonLine().mapper();
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("{")) {
          try {
            results.add(mapper.readTree(line));
          } catch (JsonProcessingException e) {
            spec.commandLine().getErr().printf("skipping a malformed line in %s: %s%n", file, e.getOriginalMessage());
          }
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(table(results, baseline, candidate));
    out.flush();
    return 0;
  }

  /** The table for {@code results}; rows follow the order in which configurations first appear. */
  static String table(List<JsonNode> results, String baseline, String candidate) {
    // configuration -> target label -> its latest result
    Map<String, Map<String, JsonNode>> byConfiguration = new LinkedHashMap<>();
    for (JsonNode result : results) {
      byConfiguration.computeIfAbsent(configuration(result), key -> new LinkedHashMap<>())
          .put(result.path("target").asText(), result);
    }
    StringBuilder table = new StringBuilder();
    String format = "%-36s %-26s %12s %12s %10s%n";
    table.append(String.format(format, "benchmark", "metric", baseline, candidate, "ratio"));
    for (Map.Entry<String, Map<String, JsonNode>> entry : byConfiguration.entrySet()) {
      JsonNode base = entry.getValue().get(baseline);
      JsonNode cand = entry.getValue().get(candidate);
      JsonNode any = base != null ? base : cand;
      if (any == null) {
        continue; // only other targets ran this configuration
      }
      List<Metric> metrics = "timers".equals(any.path("benchmark").asText()) ? TIMER_METRICS : WORKFLOW_METRICS;
      String name = entry.getKey();
      for (Metric metric : metrics) {
        table.append(String.format(format, name, metric.label(), figure(base, metric.key()), figure(cand, metric.key()), ratio(base, cand, metric.key())));
        name = "";
      }
      table.append(String.format(format, "", "failed + timed out", errors(base), errors(cand), ""));
      table.append(String.format(format, "", "load average after", figure(base, "load_after"), figure(cand, "load_after"), ""));
    }
    table.append(String.format("%nratio = %s / %s: above 1 is better for throughput and start rate, worse for latency and lag.%n", candidate, baseline));
    return table.toString();
  }

  private static String configuration(JsonNode result) {
    String benchmark = result.path("benchmark").asText("?");
    if ("timers".equals(benchmark)) {
      return String.format("timers n=%d sleep=%ss", result.path("count").asInt(), trim(result.path("sleep_s").asDouble()));
    }
    return String.format("%s %s n=%d c=%d", benchmark, result.path("kind").asText("?"), result.path("count").asInt(), result.path("concurrency").asInt());
  }

  private static String figure(JsonNode result, String key) {
    if (result == null) {
      return "not run";
    }
    // -1 marks a figure the run could not take (e.g. server CPU without --server-pid).
    return !result.has(key) || result.get(key).asDouble() < 0 ? "n/a" : trim(result.get(key).asDouble());
  }

  private static String errors(JsonNode result) {
    return result == null ? "not run" : String.valueOf(result.path("failed").asInt() + result.path("timed_out").asInt());
  }

  private static String ratio(JsonNode base, JsonNode cand, String key) {
    if (base == null || cand == null || !base.has(key) || !cand.has(key)
        || base.get(key).asDouble() <= 0 || cand.get(key).asDouble() < 0) {
      return "-";
    }
    return String.format("%.2f", cand.get(key).asDouble() / base.get(key).asDouble());
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
