package io.paystream.messaging.webhook;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Name resolution for webhook delivery that fails with {@link WebhookUrlGuard.RefusedUrlException}
 * when the host resolves to any address the guard refuses. It sits between the HTTP client's
 * resolver and its connect, so the addresses checked are the addresses the connection is opened to:
 * no second lookup in between for a rebinding DNS server to answer differently, and no TCP
 * connection to a refused address. IP literals pass through the check too. Resolution itself is the
 * wrapped non-blocking resolver's, on the event loop. Reactor-netty's connection pool key includes
 * the client's resolver, so a webhook reuses only connections that went through this check, never
 * those of the app's other HTTP clients.
 */
final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

  private final WebhookUrlGuard guard;
  private final Supplier<? extends AddressResolverGroup<?>> names;

  /**
   * @param names the resolver group to wrap, looked up for each new event loop so that a replaced
   *     group (reactor-netty's global resources reset) is followed
   */
  GuardedAddressResolverGroup(
      WebhookUrlGuard guard, Supplier<? extends AddressResolverGroup<?>> names) {
    this.guard = guard;
    this.names = names;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    // The HTTP client only ever resolves InetSocketAddresses with this group.
    return new Guarded(
        executor, (AddressResolver<InetSocketAddress>) names.get().getResolver(executor));
  }

  private final class Guarded extends AbstractAddressResolver<InetSocketAddress> {

    private final AddressResolver<InetSocketAddress> names;

    Guarded(EventExecutor executor, AddressResolver<InetSocketAddress> names) {
      super(executor, InetSocketAddress.class);
      this.names = names;
    }

    /** Never: a resolved address (an IP literal) must still go through the check. */
    @Override
    protected boolean doIsResolved(InetSocketAddress address) {
      return false;
    }

    @Override
    protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
      names
          .resolve(address)
          .addListener(
              (Future<InetSocketAddress> resolved) ->
                  complete(
                      promise, resolved, resolved.isSuccess() ? List.of(resolved.getNow()) : null));
    }

    @Override
    protected void doResolveAll(
        InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
      names
          .resolveAll(address)
          .addListener(
              (Future<List<InetSocketAddress>> resolved) ->
                  complete(promise, resolved, resolved.getNow()));
    }

    private <T> void complete(
        Promise<T> promise, Future<T> resolved, List<InetSocketAddress> addresses) {
      if (!resolved.isSuccess()) {
        promise.tryFailure(resolved.cause());
        return;
      }
      try {
        RuntimeException refused = refusal(addresses);
        if (refused != null) {
          promise.tryFailure(refused);
        } else {
          promise.trySuccess(resolved.getNow());
        }
      } catch (RuntimeException bug) {
        // A listener's exception is only logged: fail the promise, or the connect would hang.
        promise.tryFailure(bug);
      }
    }

    /** As at registration: one refused address refuses the host. Fails closed on no address. */
    private RuntimeException refusal(List<InetSocketAddress> addresses) {
      if (addresses.isEmpty()) {
        return new WebhookUrlGuard.RefusedUrlException("the host resolves to no address");
      }
      for (InetSocketAddress address : addresses) {
        if (address.isUnresolved()) {
          return new WebhookUrlGuard.RefusedUrlException("the host resolves to no address");
        }
        String why = guard.refusal(address.getAddress());
        if (why != null) {
          return new WebhookUrlGuard.RefusedUrlException("the host resolves to " + why);
        }
      }
      return null;
    }

    /** The wrapped resolver belongs to its own group, which closes it. */
    @Override
    public void close() {}
  }
}
