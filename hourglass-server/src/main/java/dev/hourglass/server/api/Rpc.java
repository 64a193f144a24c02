package dev.hourglass.server.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs a unary call and answers it, mapping errors through {@link StatusMapper}. */
final class Rpc {
  private Rpc() {}

  static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      observer.onError(StatusMapper.toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /**
   * {@code source.thenApply(mapping)}, except that cancelling the result cancels {@code source}
   * too: a client that goes away must release the poller it left waiting in matching.
   */
  static <S, T> CompletableFuture<T> map(CompletableFuture<S> source, java.util.function.Function<S, T> mapping) {
    CompletableFuture<T> mapped = source.thenApply(mapping);
    mapped.whenComplete((result, error) -> {
      if (mapped.isCancelled()) {
        source.cancel(false);
      }
    });
    return mapped;
  }

  /**
   * Answers when the future completes, without holding a thread meanwhile (long polls). If the
   * client goes away first, the future is cancelled so the engine can drop the waiter.
   */
  static <T> void async(StreamObserver<T> observer, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      observer.onError(StatusMapper.toStatus(e));
      return;
    }
    if (observer instanceof ServerCallStreamObserver<T> serverObserver) {
      serverObserver.setOnCancelHandler(() -> future.cancel(false));
    }
    future.whenComplete((response, error) -> {
      try {
        if (error != null) {
          if (!future.isCancelled()) {
            observer.onError(StatusMapper.toStatus(error));
          }
          return;
        }
        observer.onNext(response);
        observer.onCompleted();
      } catch (RuntimeException callGone) {
        // The client cancelled between completion and answer: nobody to tell.
      }
    });
  }
}
