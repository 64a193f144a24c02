package dev.hourglass.bench;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench workflows}: workflow throughput and start-to-result latency. A warm-up phase (not
 * measured) runs first on the same worker, so the JIT of client, worker and server has seen the
 * path before the clock starts.
 */
@Command(
    name = "workflows",
    description = "Start N workflows with at most C in flight; report completed workflows/s and start-to-result latency.",
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Every workflow completed.", "1:Some workflow failed or timed out.", "2:Invalid command line."})
final class WorkflowsCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private TargetOptions target;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Workflows in the measured phase.")
  private int count;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "100",
      description = "Most workflows started and not yet finished at any moment (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "activity",
      description = "activity: one activity returning its input; empty: no activity (default: ${DEFAULT-VALUE}).")
  private WorkflowKind kind;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "0",
      description = "Workflows run before the measured phase and left out of it (default: ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(names = "--starters", paramLabel = "THREADS", defaultValue = "8",
      description = "Threads issuing StartWorkflowExecution calls (default: ${DEFAULT-VALUE}).")
  private int starters;

  @Option(names = "--also-address", paramLabel = "HOST:PORT",
      description = "Another process of the same Hourglass cluster: workflows are started on every address in turn, and each "
          + "address gets a worker of its own. Repeatable.")
  private List<String> alsoAddresses = new ArrayList<>();

  @Mixin
  private WorkerTuning tuning;

  @Override
  public Integer call() throws InterruptedException {
    if (count < 1 || concurrency < 1 || warmup < 0 || starters < 1) {
      throw new ParameterException(spec.commandLine(), "--count, --concurrency and --starters must be positive; --warmup must not be negative");
    }
    tuning.validate(spec);
    LoopbackAddress address = target.address(spec);
    Deadline deadline = Deadline.after(target.timeout(spec));
    PrintWriter out = spec.commandLine().getOut();

    // A fresh task queue per run: nothing left over from an earlier run (a backlog, a sticky
    // worker that went away) can reach this run's worker.
    String runId = UUID.randomUUID().toString().substring(0, 8);
    String taskQueue = "bench-" + kind.label() + "-" + runId;
    double loadBefore = MachineLoad.oneMinute();
    out.printf("workflows: target=%s address=%s kind=%s count=%d concurrency=%d warmup=%d (load average %.1f)%n",
        target.label(), address, kind.label(), count, concurrency, warmup, loadBefore);
    out.printf("  worker: %s, starters=%d, task queue %s%n", tuning.describe(), starters, taskQueue);
    out.flush();

    List<LoopbackAddress> others = new ArrayList<>();
    for (String other : alsoAddresses) {
      try {
        others.add(LoopbackAddress.parse(other));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "Invalid --also-address: " + e.getMessage(), e);
      }
    }
    List<BenchConnection> extra = new ArrayList<>();
    try (BenchConnection connection = BenchConnection.open(address, target.namespace())) {
      connection.startWorker(taskQueue, tuning);
      List<WorkflowClient> clients = new ArrayList<>(List.of(connection.client()));
      for (LoopbackAddress other : others) {
        BenchConnection otherConnection = BenchConnection.open(other, target.namespace());
        extra.add(otherConnection);
        otherConnection.startWorker(taskQueue, tuning);
        clients.add(otherConnection.client());
      }
      WorkflowPhase phase = new WorkflowPhase(clients, taskQueue, kind, concurrency, starters, deadline);
      if (warmup > 0) {
        WorkflowPhase.Result warm = phase.run("bench-" + runId + "-warmup-", warmup);
        out.printf("  warmup: %d/%d completed in %.1f s%n", warm.completed(), warmup, warm.elapsed().toMillis() / 1000.0);
        out.flush();
        if (!warm.succeeded()) {
          report(out, warm, loadBefore, null);
          return 1;
        }
      }
      CpuMeter cpu = CpuMeter.start(target.serverPid());
      WorkflowPhase.Result measured = phase.run("bench-" + runId + "-", count);
      report(out, measured, loadBefore, cpu);
      return measured.succeeded() ? 0 : 1;
    } finally {
      for (BenchConnection other : extra) {
        other.close();
      }
    }
  }

  /** Prints the summary and the JSON line; {@code cpu} is null when the phase was not measured. */
  private void report(PrintWriter out, WorkflowPhase.Result result, double loadBefore, CpuMeter cpu) {
    double loadAfter = MachineLoad.oneMinute();
    double clientCpu = cpu == null ? -1 : cpu.clientSeconds();
    double serverCpu = cpu == null ? -1 : cpu.serverSeconds();
    double serverCpuPerWorkflow = serverCpu < 0 || result.completed() == 0 ? -1 : round(serverCpu * 1000 / result.completed(), 2);
    out.printf("  completed %d/%d (failed %d, timed out %d) in %.2f s: %.1f workflows/s%n",
        result.completed(), result.count(), result.failed(), result.timedOut(),
        result.elapsed().toNanos() / 1e9, result.throughput());
    out.printf("  start-to-result latency: %s%n", result.latency().format());
    out.printf("  CPU: client+worker %.1f s, server %s%n", clientCpu,
        serverCpu < 0 ? "not measured" : String.format("%.1f s = %.2f ms per workflow", serverCpu, serverCpuPerWorkflow));
    out.printf("  load average before %.1f, after %.1f (2 cores: above 2 means the run shared the CPU)%n", loadBefore, loadAfter);
    if (result.firstFailure() != null) {
      out.printf("  first failure: %s%n", result.firstFailure());
    }
    LatencySummary latency = result.latency();
    out.println(new JsonLine().write(new WorkflowsResult(
        target.label(), "workflows", kind.label(), result.count(), concurrency, warmup,
        result.completed(), result.failed(), result.timedOut(),
        round(result.elapsed().toNanos() / 1e9, 3), round(result.throughput(), 1),
        latency.p50Millis(), latency.p90Millis(), latency.p99Millis(), latency.maxMillis(),
        clientCpu, serverCpu, serverCpuPerWorkflow, loadBefore, loadAfter)));
    out.flush();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** The JSON line of a {@code workflows} run; field names become snake_case keys. */
  record WorkflowsResult(
      String target, String benchmark, String kind, int count, int concurrency, int warmup,
      int completed, int failed, int timedOut, double elapsedS, double throughput,
      double p50Ms, double p90Ms, double p99Ms, double maxMs,
      double clientCpuS, double serverCpuS, double serverCpuMsPerWorkflow, double loadBefore, double loadAfter) {}
}
