package dev.hourglass.bench;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bench ping}: does the server answer as a Temporal frontend? An open port is not enough
 * for {@code bench/run.sh} to start measuring: this calls {@code GetSystemInfo} (what the SDK asks
 * first) and {@code DescribeNamespace} for the namespace the benchmark will use.
 */
@Command(
    name = "ping",
    description = "Check that a server answers GetSystemInfo and knows the namespace.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:The server answered.", "1:It did not.", "2:Invalid command line."})
final class PingCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private TargetOptions target;

  @Override
  public Integer call() throws InterruptedException {
    LoopbackAddress address = target.address(spec);
    long timeoutMillis = target.timeout(spec).toMillis();
    PrintWriter out = spec.commandLine().getOut();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address.grpcTarget()).build());
    try {
      service.blockingStub().withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      service.blockingStub().withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(target.namespace()).build());
      out.printf("%s answers, namespace '%s' exists%n", address, target.namespace());
      return 0;
    } catch (StatusRuntimeException e) {
      out.printf("%s does not answer: %s%n", address, e.getStatus());
      return 1;
    } finally {
      out.flush();
      service.shutdownNow();
      service.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
