package dev.hourglass.server.api;

import static java.util.Objects.requireNonNull;

import dev.hourglass.common.InvalidArgumentException;
import dev.hourglass.engine.namespace.Namespace;
import dev.hourglass.engine.namespace.NamespaceRegistry;
import dev.hourglass.engine.nexus.NexusEndpointRegistry;
import dev.hourglass.engine.visibility.SearchAttributeRegistry;
import io.grpc.stub.StreamObserver;
import io.temporal.api.operatorservice.v1.*;
import java.util.LinkedHashSet;

/**
 * The part of Temporal's {@code OperatorService} that applications and the SDK's test setups
 * call: custom search attributes per namespace and Nexus endpoint records (persisted). Other RPCs
 * answer UNIMPLEMENTED (docs/compatibility.md).
 */
public final class OperatorService extends OperatorServiceGrpc.OperatorServiceImplBase {
  private final NamespaceRegistry namespaces;
  private final SearchAttributeRegistry searchAttributes;
  private final NexusEndpointRegistry nexusEndpoints;

  public OperatorService(NamespaceRegistry namespaces, SearchAttributeRegistry searchAttributes, NexusEndpointRegistry nexusEndpoints) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.searchAttributes = requireNonNull(searchAttributes, "searchAttributes is null");
    this.nexusEndpoints = requireNonNull(nexusEndpoints, "nexusEndpoints is null");
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

  // ---- Nexus endpoints (records only) ----

  @Override
  public void createNexusEndpoint(CreateNexusEndpointRequest request, StreamObserver<CreateNexusEndpointResponse> observer) {
    Rpc.unary(observer, () -> CreateNexusEndpointResponse.newBuilder().setEndpoint(nexusEndpoints.create(request.getSpec())).build());
  }

  @Override
  public void getNexusEndpoint(GetNexusEndpointRequest request, StreamObserver<GetNexusEndpointResponse> observer) {
    Rpc.unary(observer, () -> GetNexusEndpointResponse.newBuilder().setEndpoint(nexusEndpoints.get(request.getId())).build());
  }

  @Override
  public void listNexusEndpoints(ListNexusEndpointsRequest request, StreamObserver<ListNexusEndpointsResponse> observer) {
    Rpc.unary(observer, () -> {
      NexusEndpointRegistry.Page page = nexusEndpoints.list(request.getPageSize(), request.getNextPageToken(), request.getName());
      return ListNexusEndpointsResponse.newBuilder().addAllEndpoints(page.endpoints()).setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void updateNexusEndpoint(UpdateNexusEndpointRequest request, StreamObserver<UpdateNexusEndpointResponse> observer) {
    Rpc.unary(observer, () -> UpdateNexusEndpointResponse.newBuilder()
        .setEndpoint(nexusEndpoints.update(request.getId(), request.getVersion(), request.getSpec())).build());
  }

  @Override
  public void deleteNexusEndpoint(DeleteNexusEndpointRequest request, StreamObserver<DeleteNexusEndpointResponse> observer) {
    Rpc.unary(observer, () -> {
      nexusEndpoints.delete(request.getId(), request.getVersion());
      return DeleteNexusEndpointResponse.getDefaultInstance();
    });
  }
}
