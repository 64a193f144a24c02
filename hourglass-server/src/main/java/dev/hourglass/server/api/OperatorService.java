package dev.hourglass.server.api;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.visibility.SearchAttributeRegistry;
import io.grpc.stub.StreamObserver;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.AddSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesResponse;
import java.util.LinkedHashSet;

/**
 * The part of Temporal's {@code OperatorService} that applications and the SDK's test setups
 * call: custom search attributes per namespace (persisted). Other RPCs answer UNIMPLEMENTED
 * (docs/compatibility.md).
 */
public final class OperatorService extends OperatorServiceGrpc.OperatorServiceImplBase {
  private final NamespaceRegistry namespaces;
  private final SearchAttributeRegistry searchAttributes;

  public OperatorService(NamespaceRegistry namespaces, SearchAttributeRegistry searchAttributes) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.searchAttributes = requireNonNull(searchAttributes, "searchAttributes is null");
  }

  @Override
  public void addSearchAttributes(AddSearchAttributesRequest request, StreamObserver<AddSearchAttributesResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      if (request.getSearchAttributesCount() == 0) {
        throw new InvalidArgumentException("SearchAttributes are not set on request.");
      }
      searchAttributes.add(namespace.id(), request.getSearchAttributesMap());
      return AddSearchAttributesResponse.getDefaultInstance();
    });
  }

  @Override
  public void listSearchAttributes(ListSearchAttributesRequest request, StreamObserver<ListSearchAttributesResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      return ListSearchAttributesResponse.newBuilder()
          .putAllCustomAttributes(searchAttributes.custom(namespace.id()))
          .putAllSystemAttributes(searchAttributes.system())
          .build();
    });
  }

  @Override
  public void removeSearchAttributes(RemoveSearchAttributesRequest request, StreamObserver<RemoveSearchAttributesResponse> observer) {
    Rpc.unary(observer, () -> {
      Namespace namespace = namespaces.byName(request.getNamespace());
      if (request.getSearchAttributesCount() == 0) {
        throw new InvalidArgumentException("SearchAttributes are not set on request.");
      }
      searchAttributes.remove(namespace.id(), new LinkedHashSet<>(request.getSearchAttributesList()));
      return RemoveSearchAttributesResponse.getDefaultInstance();
    });
  }
}
