package dev.hourglass.examples;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How an example reaches the server: plain SDK stubs, a client, and one worker in this process.
 * Nothing here is specific to Hourglass; pointed at a Temporal cluster the examples run the same.
 */
public final class Connection implements AutoCloseable {
  /** The options every example takes. */
  public static final class Options {
    @Option(names = "--address", defaultValue = "127.0.0.1:7233", description = "Server address (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--namespace", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--tls-ca-path", description = "PEM CA of the server's certificate: connect with TLS (default: plain text).")
    Path tlsCaPath;

    @Option(names = "--tls-cert-path", description = "PEM client certificate, for a server requiring one (mutual TLS).")
    Path tlsCertPath;

    @Option(names = "--tls-key-path", description = "PKCS#8 PEM key of the client certificate.")
    Path tlsKeyPath;
  }

  private final Options options;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory workers;

  public Connection(Options options) {
    this.options = options;
    WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder().setTarget(options.address);
    if (options.tlsCaPath != null) {
      stubs.setSslContext(sslContext(options));
    }
    this.service = WorkflowServiceStubs.newServiceStubs(stubs.build());
    this.client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(options.namespace).build());
    this.workers = WorkerFactory.newInstance(client);
  }

  public WorkflowClient client() {
    return client;
  }

  public ScheduleClient schedules() {
    return ScheduleClient.newInstance(service, ScheduleClientOptions.newBuilder().setNamespace(options.namespace).build());
  }

  /** A worker on {@code taskQueue}; register workflows and activities, then call {@link #startWorkers()}. */
  public Worker newWorker(String taskQueue) {
    return workers.newWorker(taskQueue);
  }

  public void startWorkers() {
    workers.start();
  }

  /** Where the server's web UI shows this workflow (the UI listens on the gRPC port + 1000). */
  public String uiLink(String workflowId) {
    String host = options.address.substring(0, options.address.lastIndexOf(':'));
    int port = Integer.parseInt(options.address.substring(options.address.lastIndexOf(':') + 1)) + 1000;
    return "http://" + host + ":" + port + "/namespaces/" + options.namespace + "/workflows/" + workflowId;
  }

  /** TLS as any SDK application sets it up: the SDK's SimpleSslContextBuilder, the server's CA as trust. */
  private static SslContext sslContext(Options options) {
    try {
      SimpleSslContextBuilder builder = options.tlsCertPath == null
          ? SimpleSslContextBuilder.noKeyOrCertChain()
          : SimpleSslContextBuilder.forPKCS8(
              new ByteArrayInputStream(Files.readAllBytes(options.tlsCertPath)), new ByteArrayInputStream(Files.readAllBytes(options.tlsKeyPath)));
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      try (InputStream ca = Files.newInputStream(options.tlsCaPath)) {
        int index = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(ca)) {
          trusted.setCertificateEntry("ca-" + index++, certificate);
        }
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      return builder.setTrustManager(trust.getTrustManagers()[0]).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    workers.shutdown();
    workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    service.shutdown();
  }
}
