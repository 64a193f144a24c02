package dev.hourglass.cli;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Workflows the CLI tests start, registered by a real SDK worker. */
final class TestWorkflows {
  private TestWorkflows() {}

  /** Two arguments, so repeated {@code --input} flags are exercised. */
  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod(name = "Greeting")
    String greet(String greeting, String name);
  }

  public static final class GreetingImpl implements Greeting {
    @Override
    public String greet(String greeting, String name) {
      return greeting + ", " + name + "!";
    }
  }

  @WorkflowInterface
  public interface Failing {
    @WorkflowMethod(name = "Failing")
    void fail(String message);
  }

  public static final class FailingImpl implements Failing {
    @Override
    public void fail(String message) {
      throw ApplicationFailure.newNonRetryableFailure(message, "TestFailure");
    }
  }

  /** Waits for a signal; answers a query meanwhile; a cancel request cancels it. */
  @WorkflowInterface
  public interface Waiting {
    @WorkflowMethod(name = "Waiting")
    String run();

    @SignalMethod(name = "release")
    void release(String value);

    @QueryMethod(name = "state")
    String state();
  }

  public static final class WaitingImpl implements Waiting {
    private String released;

    @Override
    public String run() {
      Workflow.await(() -> released != null);
      return "released: " + released;
    }

    @Override
    public void release(String value) {
      released = value;
    }

    @Override
    public String state() {
      return released == null ? "waiting" : "released";
    }
  }
}
