package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench timers}: how late durable timers fire when many are pending at once.
 *
 * <p>Starts N workflows at a steady rate; each sleeps D then returns. Once all are over it reads
 * every history and reports the fire lag (TimerFired time minus TimerStarted time minus D), the
 * peak number of timers pending at one instant (from the same event times), and the end-to-end
 * lag seen by the client (result received minus start call minus D), which adds the workflow
 * tasks before and after the timer and the result's delivery.
 *
 * <p>For all N timers to be pending together, starting them must take less than D: N / R < D.
 */
@Command(
    name = "timers",
    description = "Start N workflows that each sleep D seconds; report timer fire lag from their histories.",
    sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Every workflow completed.", "1:Some workflow failed or timed out.", "2:Invalid command line."})
final class TimersCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private TargetOptions target;

  @Option(names = "--count", required = true, paramLabel = "N", description = "Workflows, one timer each.")
  private int count;

  @Option(names = "--sleep", paramLabel = "SECONDS", defaultValue = "30",
      description = "Timer duration D (default: ${DEFAULT-VALUE}).")
  private double sleepSeconds;

  @Option(names = "--start-rate", paramLabel = "PER_SECOND", defaultValue = "100",
      description = "Workflow starts per second, paced evenly (default: ${DEFAULT-VALUE}).")
  private double startRate;

  @Option(names = "--starters", paramLabel = "THREADS", defaultValue = "8",
      description = "Threads issuing StartWorkflowExecution calls (default: ${DEFAULT-VALUE}).")
  private int starters;

  @Option(names = "--history-readers", paramLabel = "THREADS", defaultValue = "8",
      description = "Threads reading histories after the run (default: ${DEFAULT-VALUE}).")
  private int historyReaders;

  @Mixin
  private WorkerTuning tuning;

  @Override
  public Integer call() throws InterruptedException {
    if (count < 1 || sleepSeconds <= 0 || startRate <= 0 || starters < 1 || historyReaders < 1) {
      throw new ParameterException(spec.commandLine(), "--count, --sleep, --start-rate, --starters and --history-readers must be positive");
    }
    tuning.validate(spec);
    LoopbackAddress address = target.address(spec);
    Deadline deadline = Deadline.after(target.timeout(spec));
    PrintWriter out = spec.commandLine().getOut();
    Duration sleep = Duration.ofMillis(Math.round(sleepSeconds * 1000));
    double startingSeconds = count / startRate;

    String runId = UUID.randomUUID().toString().substring(0, 8);
    String taskQueue = "bench-timers-" + runId;
    double loadBefore = MachineLoad.oneMinute();
    out.printf("timers: target=%s address=%s count=%d sleep=%.1f s start-rate=%.0f/s (load average %.1f)%n",
        target.label(), address, count, sleepSeconds, startRate, loadBefore);
    out.printf("  worker: %s, starters=%d, task queue %s%n", tuning.describe(), starters, taskQueue);
    if (startingSeconds >= sleepSeconds) {
      out.printf("  warning: starting takes %.1f s >= sleep %.1f s, so the %d timers cannot all be pending at once; raise --sleep or --start-rate%n",
          startingSeconds, sleepSeconds, count);
    }
    out.flush();

    try (BenchConnection connection = BenchConnection.open(address, target.namespace())) {
      connection.startWorker(taskQueue, tuning);
      Run run = new Run(connection, taskQueue, "bench-" + runId + "-", sleep, deadline);
      CpuMeter cpu = CpuMeter.start(target.serverPid());
      run.startAll();
      // Before reading histories: that load is the benchmark's, not the timers'.
      double clientCpu = cpu.clientSeconds();
      double serverCpu = cpu.serverSeconds();
      List<TimerObservation> timers = run.readTimers();
      report(out, run, timers, sleep, loadBefore, clientCpu, serverCpu);
      return run.completed.get() == count && timers.size() == count ? 0 : 1;
    }
  }

  private void report(PrintWriter out, Run run, List<TimerObservation> timers, Duration sleep, double loadBefore,
      double clientCpu, double serverCpu) {
    double loadAfter = MachineLoad.oneMinute();
    Histogram fireLagMicros = new Histogram(3);
    long earliestLagMicros = Long.MAX_VALUE;
    int early = 0;
    for (TimerObservation timer : timers) {
      long lagMicros = timer.fireLag().toNanos() / 1_000;
      earliestLagMicros = Math.min(earliestLagMicros, lagMicros);
      if (lagMicros < 0) {
        early++; // HdrHistogram holds no negatives; counted and shown as 0 lag
      }
      fireLagMicros.recordValue(Math.max(0, lagMicros));
    }
    LatencySummary fireLag = LatencySummary.ofMicros(fireLagMicros);
    LatencySummary endToEnd = LatencySummary.ofMicros(run.endToEndLagMicros.copy());
    int peakPending = TimerObservation.peakPending(timers);
    int completed = run.completed.get();
    int failed = run.failed.get();
    double achievedRate = run.startingNanos > 0 ? run.started.get() / (run.startingNanos / 1e9) : 0;

    out.printf("  completed %d/%d (failed %d, timed out %d); started at %.0f/s; peak pending timers %d (client-side in flight %d)%n",
        completed, count, failed, count - completed - failed, achievedRate, peakPending, run.peakInFlight.get());
    out.printf("  timer fire lag (history): %s%s%n", fireLag.format(),
        early > 0 ? String.format(", %d fired early (earliest %.1f ms)", early, earliestLagMicros / 1000.0) : "");
    out.printf("  end-to-end lag (client):  %s%n", endToEnd.format());
    out.printf("  CPU while timers ran: client+worker %.1f s, server %s%n", clientCpu,
        serverCpu < 0 ? "not measured" : String.format("%.1f s", serverCpu));
    out.printf("  load average before %.1f, after %.1f (2 cores: above 2 means the run shared the CPU)%n", loadBefore, loadAfter);
    if (timers.size() < completed) {
      out.printf("  %d completed workflows had no readable timer in their history%n", completed - timers.size());
    }
    if (run.firstFailure.get() != null) {
      out.printf("  first failure: %s%n", run.firstFailure.get());
    }
    out.println(new JsonLine().write(new TimersResult(
        target.label(), "timers", count, sleep.toMillis() / 1000.0, startRate, Math.round(achievedRate * 10) / 10.0,
        completed, failed, count - completed - failed, peakPending, run.peakInFlight.get(),
        fireLag.p50Millis(), fireLag.p90Millis(), fireLag.p99Millis(), fireLag.maxMillis(),
        endToEnd.p50Millis(), endToEnd.p90Millis(), endToEnd.p99Millis(), endToEnd.maxMillis(),
        clientCpu, serverCpu, loadBefore, loadAfter)));
    out.flush();
  }

  /** State of one run, shared between the starter threads, result callbacks and history readers. */
  private final class Run {
    private final BenchConnection connection;
    private final String taskQueue;
    private final String idPrefix;
    private final Duration sleep;
    private final Deadline deadline;
    // Index i holds workflow i's execution once it completed; null if it never did.
    private final AtomicReferenceArray<WorkflowExecution> completedExecutions = new AtomicReferenceArray<>(count);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final SynchronizedHistogram endToEndLagMicros = new SynchronizedHistogram(3);
    // Written by the main thread after the starters are done.
    private long startingNanos;

    Run(BenchConnection connection, String taskQueue, String idPrefix, Duration sleep, Deadline deadline) {
      this.connection = requireNonNull(connection, "connection is null");
      this.taskQueue = requireNonNull(taskQueue, "taskQueue is null");
      this.idPrefix = requireNonNull(idPrefix, "idPrefix is null");
      this.sleep = requireNonNull(sleep, "sleep is null");
      this.deadline = requireNonNull(deadline, "deadline is null");
    }

    /**
     * Starts workflow i at {@code t0 + i / rate} (starters share one schedule, so a slow start
     * delays only its own thread) and waits, bounded by the deadline, until every one finished.
     */
    void startAll() throws InterruptedException {
      CountDownLatch finished = new CountDownLatch(count);
      AtomicInteger nextIndex = new AtomicInteger();
      long intervalNanos = Math.round(1e9 / startRate);
      long t0 = System.nanoTime();
      Runnable starter = () -> {
        for (int index = nextIndex.getAndIncrement(); index < count; index = nextIndex.getAndIncrement()) {
          long dueNanos = t0 + index * intervalNanos;
          for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
            if (deadline.expired() || Thread.currentThread().isInterrupted()) {
              return;
            }
            LockSupport.parkNanos(wait);
          }
          if (deadline.expired()) {
            return;
          }
          start(index, finished);
        }
      };
      ExecutorService pool = Executors.newFixedThreadPool(starters, runnable -> {
        Thread thread = new Thread(runnable, "bench-starter");
        thread.setDaemon(true);
        return thread;
      });
      try {
        for (int i = 0; i < starters; i++) {
          pool.execute(starter);
        }
        pool.shutdown();
        pool.awaitTermination(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        startingNanos = System.nanoTime() - t0;
        finished.await(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
      } finally {
        pool.shutdownNow();
      }
    }

    private void start(int index, CountDownLatch finished) {
      String workflowId = idPrefix + index;
      WorkflowStub stub = connection.client().newUntypedWorkflowStub("SleepWorkflow", WorkflowOptions.newBuilder()
          .setWorkflowId(workflowId)
          .setTaskQueue(taskQueue)
          .setWorkflowExecutionTimeout(deadline.remaining().plusSeconds(1))
          .build());
      long startNanos = System.nanoTime();
      WorkflowExecution execution;
      try {
        execution = stub.start(sleep.toMillis());
      } catch (RuntimeException e) {
        firstFailure.compareAndSet(null, "start " + workflowId + ": " + e);
        failed.incrementAndGet();
        finished.countDown();
        return;
      }
      started.incrementAndGet();
      peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      stub.getResultAsync(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS, String.class)
          .whenComplete((result, error) -> {
            long now = System.nanoTime();
            inFlight.decrementAndGet();
            if (error == null) {
              endToEndLagMicros.recordValue(Math.max(0, now - startNanos - sleep.toNanos()) / 1_000);
              completedExecutions.set(index, execution);
              completed.incrementAndGet();
            } else if (!(WorkflowPhase.unwrap(error) instanceof TimeoutException)) {
              firstFailure.compareAndSet(null, workflowId + ": " + WorkflowPhase.unwrap(error));
              failed.incrementAndGet();
            }
            finished.countDown();
          });
    }

    /** Reads the histories of the completed workflows, a few at a time, within the deadline. */
    List<TimerObservation> readTimers() throws InterruptedException {
      ExecutorService pool = Executors.newFixedThreadPool(historyReaders, runnable -> {
        Thread thread = new Thread(runnable, "bench-history-reader");
        thread.setDaemon(true);
        return thread;
      });
      try {
        List<Future<Optional<TimerObservation>>> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          WorkflowExecution execution = completedExecutions.get(i);
          if (execution != null) {
            reads.add(pool.submit(() -> TimerObservation.fromHistory(history(connection.service(), execution))));
          }
        }
        List<TimerObservation> timers = new ArrayList<>(reads.size());
        for (Future<Optional<TimerObservation>> read : reads) {
          try {
            read.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS).ifPresent(timers::add);
          } catch (ExecutionException e) {
            firstFailure.compareAndSet(null, "history: " + e.getCause());
          } catch (TimeoutException e) {
            firstFailure.compareAndSet(null, "history: out of time after " + timers.size() + " of " + reads.size());
            break;
          }
        }
        return timers;
      } finally {
        pool.shutdownNow();
      }
    }

    /** Every event of one execution, following page tokens; pages are bounded by the event count. */
    private List<HistoryEvent> history(WorkflowServiceStubs service, WorkflowExecution execution) {
      List<HistoryEvent> events = new ArrayList<>();
      GetWorkflowExecutionHistoryRequest.Builder request = GetWorkflowExecutionHistoryRequest.newBuilder()
          .setNamespace(target.namespace())
          .setExecution(execution);
      // A sleep workflow has about a dozen events; 100 pages means the server is not paging sanely.
      for (int page = 0; page < 100; page++) {
        GetWorkflowExecutionHistoryResponse response = service.blockingStub()
            .withDeadlineAfter(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS)
            .getWorkflowExecutionHistory(request.build());
        events.addAll(response.getHistory().getEventsList());
        if (response.getNextPageToken().isEmpty()) {
          return events;
        }
        request.setNextPageToken(response.getNextPageToken());
      }
      throw new IllegalStateException("history of " + execution.getWorkflowId() + " did not end after 100 pages");
    }
  }

  /** The JSON line of a {@code timers} run; field names become snake_case keys. */
  record TimersResult(
      String target, String benchmark, int count, double sleepS, double startRate, double achievedStartRate,
      int completed, int failed, int timedOut, int peakPending, int peakInFlight,
      double fireLagP50Ms, double fireLagP90Ms, double fireLagP99Ms, double fireLagMaxMs,
      double e2eLagP50Ms, double e2eLagP90Ms, double e2eLagP99Ms, double e2eLagMaxMs,
      double clientCpuS, double serverCpuS, double loadBefore, double loadAfter) {}
}
