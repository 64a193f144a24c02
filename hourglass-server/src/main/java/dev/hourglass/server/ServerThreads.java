package dev.hourglass.server;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The server's thread pools: named daemon threads, bounded pools, and one way to stop them. */
final class ServerThreads {
  private ServerThreads() {}

  /** A bounded pool whose idle threads go away: a burst queues instead of spawning. */
  static ExecutorService pool(String name, int maxThreads) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        threads(name));
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  static ScheduledThreadPoolExecutor scheduler(String name, int threads) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(threads, threads(name));
    // At shutdown, pending long-poll deadlines need not run: their calls are answered anyway.
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  static ThreadFactory threads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Lets queued work finish for up to five seconds per pool, then interrupts what is left. */
  static void shutdown(List<ExecutorService> executors) {
    executors.forEach(ExecutorService::shutdown);
    for (ExecutorService executor : executors) {
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        executor.shutdownNow();
      }
    }
  }
}
