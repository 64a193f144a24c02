package dev.hourglass.bench;

import static java.util.Objects.requireNonNull;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Runs {@code count} workflows of one kind with at most {@code concurrency} in flight and measures
 * each from {@code WorkflowStub.start} to its result.
 *
 * <p>A small pool of starter threads takes the next index, waits for one of the {@code
 * concurrency} permits, starts the workflow (a blocking RPC) and attaches a callback to the
 * non-blocking result future; the callback records the latency and returns the permit. So C in
 * flight cost C pending gRPC calls, not C threads. Several starters, because one would cap the
 * start rate at one per round trip.
 *
 * <p>Every wait is bounded by the run's {@link Deadline}; what has not finished by then is reported
 * as timed out.
 */
final class WorkflowPhase {
  private final List<WorkflowClient> clients;
  private final String taskQueue;
  private final WorkflowKind kind;
  private final int concurrency;
  private final int starterThreads;
  private final Deadline deadline;

  /** @param clients connections to start workflows on, in turn (several server processes of one cluster) */
  WorkflowPhase(List<WorkflowClient> clients, String taskQueue, WorkflowKind kind, int concurrency, int starterThreads, Deadline deadline) {
    this.clients = List.copyOf(requireNonNull(clients, "clients is null"));
    if (this.clients.isEmpty()) {
      throw new IllegalArgumentException("no client");
    }
    this.taskQueue = requireNonNull(taskQueue, "taskQueue is null");
    this.kind = requireNonNull(kind, "kind is null");
    this.concurrency = concurrency;
    this.starterThreads = starterThreads;
    this.deadline = requireNonNull(deadline, "deadline is null");
  }

  /** Outcome of one phase; {@code timedOut} is whatever neither completed nor failed. */
  record Result(int count, int completed, int failed, Duration elapsed, LatencySummary latency, String firstFailure) {
    Result {
      requireNonNull(elapsed, "elapsed is null");
      requireNonNull(latency, "latency is null");
    }

    int timedOut() {
      return count - completed - failed;
    }

    boolean succeeded() {
      return completed == count;
    }

    /** Completed workflows per second of the phase, from the first start to the last result. */
    double throughput() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds > 0 ? completed / seconds : 0;
    }
  }

  /** Runs workflows with ids {@code idPrefix + 0 … idPrefix + (count - 1)}. */
  Result run(String idPrefix, int count) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicInteger nextIndex = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(count);
    SynchronizedHistogram latencyMicros = new SynchronizedHistogram(3);
    long startNanos = System.nanoTime();
    AtomicLong lastResultNanos = new AtomicLong(startNanos);

    Runnable starter = () -> {
      for (int index = nextIndex.getAndIncrement(); index < count; index = nextIndex.getAndIncrement()) {
        try {
          if (!inFlight.tryAcquire(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
            return; // out of time: the unstarted rest counts as timed out
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        String workflowId = idPrefix + index;
        WorkflowStub stub = clients.get(index % clients.size()).newUntypedWorkflowStub(kind.workflowType(), WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            // Bounds a workflow the run gave up on, so none outlives the run by long.
            .setWorkflowExecutionTimeout(deadline.remaining().plusSeconds(1))
            .build());
        long workflowStartNanos = System.nanoTime();
        try {
          stub.start("bench-" + index);
        } catch (RuntimeException e) {
          firstFailure.compareAndSet(null, "start " + workflowId + ": " + e);
          failed.incrementAndGet();
          inFlight.release();
          finished.countDown();
          continue;
        }
        stub.getResultAsync(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS, String.class)
            .whenComplete((result, error) -> {
              long now = System.nanoTime();
              if (error == null) {
                latencyMicros.recordValue((now - workflowStartNanos) / 1_000);
                lastResultNanos.accumulateAndGet(now, Math::max);
                completed.incrementAndGet();
              } else if (!(unwrap(error) instanceof TimeoutException)) {
                firstFailure.compareAndSet(null, workflowId + ": " + unwrap(error));
                failed.incrementAndGet();
              }
              inFlight.release();
              finished.countDown();
            });
      }
    };

    ExecutorService starters = Executors.newFixedThreadPool(starterThreads, runnable -> {
      Thread thread = new Thread(runnable, "bench-starter");
      thread.setDaemon(true); // never keeps the JVM alive past a timed-out run
      return thread;
    });
    try {
      for (int i = 0; i < starterThreads; i++) {
        starters.execute(starter);
      }
      finished.await(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      starters.shutdownNow();
      starters.awaitTermination(10, TimeUnit.SECONDS);
    }
    // Snapshot once: callbacks of a timed-out run may still trickle in.
    int completedCount = completed.get();
    return new Result(count, completedCount, failed.get(),
        Duration.ofNanos(lastResultNanos.get() - startNanos),
        LatencySummary.ofMicros(latencyMicros.copy()),
        firstFailure.get());
  }

  /** The cause a {@code whenComplete} callback was failed with, without the future's wrapper. */
  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
