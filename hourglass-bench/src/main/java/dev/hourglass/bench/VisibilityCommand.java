package dev.hourglass.bench;

import com.google.protobuf.ByteString;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench visibility}: latency of ListWorkflowExecutions and CountWorkflowExecutions over
 * gRPC on a store filled by {@code bench visibility-fill}, one query at a time (no concurrency:
 * this is the latency an operator or the UI sees). Each query is called a few times unmeasured,
 * then {@code --repeat} times measured; a deep page is fetched with the token of the page before
 * it, obtained once by walking the pages.
 */
@Command(
    name = "visibility",
    description = "Measure List/CountWorkflowExecutions on the runs of `bench visibility-fill`: p50/p99 per query.",
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Measured.", "1:A call failed.", "2:Invalid command line."})
final class VisibilityCommand implements Callable<Integer> {
  private static final int WARMUP_CALLS = 3;

  @Spec
  private CommandSpec spec;

  @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "gRPC address of the server; loopback only.")
  private String address;

  @Option(names = "--target", paramLabel = "LABEL", defaultValue = "hourglass", description = "Name of the server in the output.")
  private String label;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "1000000", description = "Closed runs the store was filled with.")
  private int runs;

  @Option(names = "--open-runs", paramLabel = "N", defaultValue = "1000", description = "Open runs it was filled with.")
  private int openRuns;

  @Option(names = "--page-size", paramLabel = "N", defaultValue = "100", description = "Runs per page (default: ${DEFAULT-VALUE}).")
  private int pageSize;

  @Option(names = "--deep-page", paramLabel = "K", defaultValue = "100", description = "The deep page measured (default: ${DEFAULT-VALUE}).")
  private int deepPage;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "20", description = "Measured calls per query (default: ${DEFAULT-VALUE}).")
  private int repeat;

  /** Result of one query, as a JSON line. */
  record Result(String benchmark, String target, String query, String filter, long runs, long matches, double p50Ms, double p99Ms,
      double maxMs, long calls) {}

  @Override
  public Integer call() throws InterruptedException {
    if (pageSize < 1 || deepPage < 2 || repeat < 1) {
      throw new ParameterException(spec.commandLine(), "--page-size and --repeat must be positive, --deep-page at least 2");
    }
    LoopbackAddress loopback;
    try {
      loopback = LoopbackAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --address: " + e.getMessage(), e);
    }
    VisibilityDataSet data = new VisibilityDataSet(runs, openRuns);
    PrintWriter out = spec.commandLine().getOut();
    JsonLine json = new JsonLine();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(loopback.grpcTarget()).build());
    try {
      WorkflowServiceBlockingStub stub = service.blockingStub().withDeadlineAfter(10, TimeUnit.MINUTES);
      out.printf(Locale.ROOT, "visibility: target=%s address=%s runs=%,d open=%,d page size=%d repeat=%d (load average %.1f)%n", label,
          loopback, runs, openRuns, pageSize, repeat, MachineLoad.oneMinute());
      out.printf("%-34s %10s %9s %9s %9s%n", "query", "matches", "p50 ms", "p99 ms", "max ms");
      Map<String, Result> results = new LinkedHashMap<>();
      for (VisibilityCase query : data.cases(deepPage)) {
        Result result = measure(stub, query);
        results.put(query.name(), result);
        out.printf(Locale.ROOT, "%-34s %10d %9.1f %9.1f %9.1f%n", query.name(), result.matches(), result.p50Ms(), result.p99Ms(),
            result.maxMs());
        out.flush();
      }
      results.values().forEach(result -> out.println(json.write(result)));
      return 0;
    } catch (io.grpc.StatusRuntimeException e) {
      out.printf("a call failed: %s%n", e.getStatus());
      return 1;
    } finally {
      out.flush();
      service.shutdownNow();
      service.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private Result measure(WorkflowServiceBlockingStub stub, VisibilityCase query) {
    ByteString token = ByteString.EMPTY;
    for (int page = 1; page < query.page(); page++) {
      token = list(stub, query.query(), token).getNextPageToken();
    }
    Histogram micros = new Histogram(3_600_000_000L, 3);
    long matches = 0;
    for (int call = 0; call < WARMUP_CALLS + repeat; call++) {
      long started = System.nanoTime();
      matches = query.count() ? count(stub, query.query()).getCount() : list(stub, query.query(), token).getExecutionsCount();
      if (call >= WARMUP_CALLS) {
        micros.recordValue(Math.max(1, (System.nanoTime() - started) / 1_000));
      }
    }
    LatencySummary summary = LatencySummary.ofMicros(micros);
    return new Result("visibility", label, query.name(), query.query(), runs, matches, summary.p50Millis(), summary.p99Millis(),
        summary.maxMillis(), summary.count());
  }

  private ListWorkflowExecutionsResponse list(WorkflowServiceBlockingStub stub, String query, ByteString token) {
    return stub.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
        .setNamespace(VisibilityDataSet.NAMESPACE).setQuery(query).setPageSize(pageSize).setNextPageToken(token).build());
  }

  private static CountWorkflowExecutionsResponse count(WorkflowServiceBlockingStub stub, String query) {
    return stub.countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
        .setNamespace(VisibilityDataSet.NAMESPACE).setQuery(query).build());
  }
}
