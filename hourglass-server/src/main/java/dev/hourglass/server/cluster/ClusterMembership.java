package dev.hourglass.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.hourglass.engine.shard.ShardController;
import dev.hourglass.server.EngineInstance;
import dev.hourglass.store.ClusterMember;
import dev.hourglass.store.ClusterState;
import dev.hourglass.store.ShardLease;
import dev.hourglass.store.ShardStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's place in the cluster of processes sharing one database, and the owner of its
 * engine (stage 1: active/standby). Every {@code heartbeatInterval} it heartbeats; the active
 * process renews its shard leases, a standby takes the shards once their leases expired and
 * builds an engine for them. A lease that could not be renewed in time ends the term locally
 * before it can expire in the database (a watchdog, independent of the database call that may be
 * hanging), so two processes never serve the shards at once; the range ids fence any write that
 * was already on its way.
 *
 * <p>On a store that one process at a time can open ({@link #single}), the process takes every
 * shard at start, for good: no leases, no heartbeats.
 */
public final class ClusterMembership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
  /** Rows of members silent this long are deleted by whoever heartbeats next. */
  private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
  private static final long WATCHDOG_PERIOD_MILLIS = 100;

  private final ShardStore store;
  private final String memberId;
  private volatile String address = "";
  private volatile boolean addressIsThisHosts;
  private final int requestedShardCount;
  private final LeaseSettings settings;
  private final Function<Map<Integer, Long>, EngineInstance> engineFactory;
  private final boolean leased;
  private final ScheduledExecutorService loop;
  private final ScheduledExecutorService watchdog;
  private final Object termLock = new Object();

  private volatile Term term;
  private volatile ClusterView view;
  private volatile int shardCount;
  // Loop thread only:
  private Set<String> lastLiveMembers = Set.of();
  private Optional<ShardLease> lastLiveLease = Optional.empty();
  private boolean activeSeenRenewing;
  private boolean databaseTroubleLogged;
  private volatile boolean closed;

  /** The engine of one ownership term and until when (System.nanoTime) its leases are surely held. */
  private static final class Term {
    final Map<Integer, Long> rangeIds;
    final EngineInstance engine;
    volatile long validUntilNanos;

    Term(Map<Integer, Long> rangeIds, EngineInstance engine, long validUntilNanos) {
      this.rangeIds = Map.copyOf(rangeIds);
      this.engine = engine;
      this.validUntilNanos = validUntilNanos;
    }
  }

  private ClusterMembership(ShardStore store, String memberId, int requestedShardCount, LeaseSettings settings,
      Function<Map<Integer, Long>, EngineInstance> engineFactory, boolean leased) {
    this.store = requireNonNull(store, "store is null");
    this.memberId = requireNonNull(memberId, "memberId is null");
    this.requestedShardCount = requestedShardCount;
    this.settings = requireNonNull(settings, "settings is null");
    this.engineFactory = requireNonNull(engineFactory, "engineFactory is null");
    this.leased = leased;
    this.loop = Executors.newSingleThreadScheduledExecutor(daemon("hourglass-cluster"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("hourglass-lease-watchdog"));
    this.view = new ClusterView(memberId, List.of(), Optional.empty(), false);
  }

  /** Membership on a shared database: leases, heartbeats, failover. */
  public static ClusterMembership leased(ShardStore store, String memberId, int requestedShardCount,
      LeaseSettings settings, Function<Map<Integer, Long>, EngineInstance> engineFactory) {
    return new ClusterMembership(store, memberId, requestedShardCount, settings, engineFactory, true);
  }

  /** The only process on its store (SQLite's file lock): every shard, for the life of the process. */
  public static ClusterMembership single(ShardStore store, String memberId, int requestedShardCount,
      Function<Map<Integer, Long>, EngineInstance> engineFactory) {
    return new ClusterMembership(store, memberId, requestedShardCount, LeaseSettings.defaults(), engineFactory, false);
  }

  /**
   * Joins: on a single-process store takes the shards; on a shared one heartbeats and either takes
   * the shards or waits until it has seen another live process renewing them (at most about a
   * lease TTL, when the previous holder died), so requests are served or forwarded once this returns.
   *
   * @param address host:port where other processes reach this one
   * @param addressIsThisHosts whether the address names this host and a port this process has
   *     bound (derived, not configured): then a lease holder that advertised the same address is a
   *     previous process here that is gone (restarted in place), and its leases need not be waited out
   */
  public void start(String address, boolean addressIsThisHosts) {
    this.address = requireNonNull(address, "address is null");
    this.addressIsThisHosts = addressIsThisHosts;
    shardCount = store.shardCount(requestedShardCount);
    if (!leased) {
      Map<Integer, Long> rangeIds = ShardController.acquireAll(store, shardCount, memberId);
      term = new Term(rangeIds, engineFactory.apply(rangeIds), Long.MAX_VALUE);
      ClusterMember self = new ClusterMember(memberId, address, System.currentTimeMillis(), System.currentTimeMillis());
      view = new ClusterView(memberId, List.of(self), Optional.of(self), true);
      return;
    }
    tick(true);
    long giveUp = System.nanoTime() + settings.leaseTtl().plus(settings.heartbeatInterval().multipliedBy(3)).toNanos();
    while (term == null && !activeSeenRenewing && System.nanoTime() < giveUp) {
      sleep(settings.heartbeatInterval());
      tick(true);
    }
    if (term == null) {
      log.atInfo().addKeyValue("member", memberId).addKeyValue("active", view.active().map(ClusterMember::memberId).orElse(""))
          .log("this process is STANDBY: it forwards requests to the active process {} and takes the shards if that one stops",
              view.active().map(member -> member.memberId() + " at " + member.address()).orElse("(none yet)"));
    }
    long period = settings.heartbeatInterval().toMillis();
    loop.scheduleWithFixedDelay(() -> tick(false), period, period, TimeUnit.MILLISECONDS);
    watchdog.scheduleWithFixedDelay(this::checkLeaseTime, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** This process's member id (unique per process run). */
  public String memberId() {
    return memberId;
  }

  /** The database's shard count (0 before {@link #start}). */
  public int shardCount() {
    return shardCount;
  }

  /** Whether this process holds the shards and serves them now (for readiness checks). */
  public boolean ownsShards() {
    return term != null;
  }

  /** The engine of the current term, when this process holds the shards. */
  public Optional<EngineInstance> engine() {
    Term current = term;
    return current == null ? Optional.empty() : Optional.of(current.engine);
  }

  /** Members and who is active, as of the last heartbeat (at most a heartbeat interval old). */
  public ClusterView view() {
    return view;
  }

  public LeaseSettings settings() {
    return settings;
  }

  private void tick(boolean starting) {
    if (closed) {
      return;
    }
    try {
      store.heartbeat(memberId, address, FORGET_AFTER);
      ClusterState state = store.clusterState();
      Term current = term;
      if (current != null) {
        renew(current);
      } else {
        Optional<ShardLease> live = state.liveLease();
        Optional<String> deadOwner = live.flatMap(lease -> previousProcessHere(state, lease.owner()));
        if (live.isEmpty() || live.get().owner().equals(memberId) || deadOwner.isPresent()) {
          acquire(deadOwner);
        }
        activeSeenRenewing = live.isPresent() && lastLiveLease.isPresent()
            && live.get().owner().equals(lastLiveLease.get().owner())
            && live.get().expiresAtMillis() > lastLiveLease.get().expiresAtMillis();
        lastLiveLease = live;
      }
      updateView(state);
      if (databaseTroubleLogged) {
        databaseTroubleLogged = false;
        log.atInfo().log("cluster membership: the database answers again");
      }
    } catch (RuntimeException e) {
      if (starting) {
        throw e;
      }
      if (!databaseTroubleLogged) {
        databaseTroubleLogged = true;
        log.atWarn().addKeyValue("error", e.toString())
            .log("cluster membership: cannot heartbeat or renew leases ({}); the shards are given up if this lasts", e.toString());
      }
    }
  }

  private void renew(Term current) {
    long sentNanos = System.nanoTime();
    if (store.renewLeases(memberId, current.rangeIds, settings.leaseTtl())) {
      current.validUntilNanos = sentNanos + settings.leaseTtl().toNanos();
    } else {
      endTerm(current, "another process took the shards");
    }
  }

  /**
   * The holder, if it advertised this process's own address: this process has that port bound, so
   * the holder cannot be serving on it any more — a process restarted in place after a crash.
   */
  private Optional<String> previousProcessHere(ClusterState state, String owner) {
    if (!addressIsThisHosts || owner.equals(memberId)) {
      return Optional.empty();
    }
    return state.members().stream()
        .filter(member -> member.memberId().equals(owner) && member.address().equals(address))
        .map(ClusterMember::memberId)
        .findFirst();
  }

  private void acquire(Optional<String> deadOwner) {
    long sentNanos = System.nanoTime();
    Optional<Map<Integer, Long>> taken = store.acquireExpiredLeases(memberId, shardCount, settings.leaseTtl(), deadOwner);
    if (taken.isEmpty()) {
      return;
    }
    deadOwner.ifPresent(owner -> log.atInfo().addKeyValue("previous", owner)
        .log("the shards' holder {} advertised this process's address, which this process now listens on: it is gone, "
            + "its leases were not waited out", owner));
    Map<Integer, Long> rangeIds = taken.get();
    EngineInstance engine;
    try {
      engine = engineFactory.apply(rangeIds);
    } catch (RuntimeException e) {
      log.atError().setCause(e).log("took the shards but could not start the engine; releasing them");
      store.releaseLeases(memberId, rangeIds);
      return;
    }
    Term next = new Term(rangeIds, engine, sentNanos + settings.leaseTtl().toNanos());
    synchronized (termLock) {
      if (closed) {
        engine.close();
        return;
      }
      term = next;
    }
    // Building the engine took time out of the lease: renew before anyone relies on it.
    renew(next);
    log.atInfo().addKeyValue("member", memberId).addKeyValue("address", address).addKeyValue("shards", rangeIds.size())
        .log("this process is now ACTIVE: it took every shard and serves them");
  }

  /** Watchdog: a lease not renewed in time ends the term here, well before it can expire in the database. */
  private void checkLeaseTime() {
    Term current = term;
    if (current != null && System.nanoTime() > current.validUntilNanos - settings.selfFenceMargin().toNanos()) {
      endTerm(current, "its shard leases could not be renewed in time (database unreachable or too slow)");
    }
  }

  private void endTerm(Term ending, String reason) {
    synchronized (termLock) {
      if (term != ending) {
        return;
      }
      term = null;
    }
    log.atWarn().addKeyValue("member", memberId).addKeyValue("reason", reason)
        .log("this process is now STANDBY: it stopped using the shards because {}; it forwards requests "
            + "to the active process and competes for the shards again when their leases expire", reason);
    ending.engine.close();
    view = new ClusterView(memberId, view.members(), Optional.empty(), false);
  }

  private void updateView(ClusterState state) {
    long deadAfter = settings.memberDeadAfter().toMillis();
    List<ClusterMember> live = state.liveMembers(deadAfter);
    Term current = term;
    Optional<ClusterMember> active;
    if (current != null) {
      active = state.members().stream().filter(member -> member.memberId().equals(memberId)).findFirst();
    } else {
      // An owner whose heartbeat stopped is dead even if its lease has a few seconds left: no one to forward to.
      active = state.liveLease().flatMap(lease -> live.stream().filter(member -> member.memberId().equals(lease.owner())).findFirst());
    }
    view = new ClusterView(memberId, live, active, current != null);
    logMembershipChanges(live);
  }

  private void logMembershipChanges(List<ClusterMember> live) {
    Set<String> now = live.stream().map(ClusterMember::memberId).collect(Collectors.toSet());
    for (ClusterMember member : live) {
      if (!lastLiveMembers.contains(member.memberId())) {
        log.atInfo().addKeyValue("member", member.memberId()).addKeyValue("address", member.address())
            .log("cluster member joined: {} at {}", member.memberId(), member.address());
      }
    }
    for (String gone : lastLiveMembers) {
      if (!now.contains(gone)) {
        log.atInfo().addKeyValue("member", gone).log("cluster member left (no heartbeat for {} s): {}",
            settings.memberDeadAfter().toSeconds(), gone);
      }
    }
    lastLiveMembers = now;
  }

  /**
   * Leaves cleanly: ends the term, releases the leases so a standby takes over at once instead
   * of after their expiry, and removes this member's row.
   */
  @Override
  public void close() {
    Term ending;
    synchronized (termLock) {
      closed = true;
      ending = term;
      term = null;
    }
    loop.shutdownNow();
    watchdog.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ending != null) {
      ending.engine.close();
    }
    if (!leased) {
      return;
    }
    try {
      if (ending != null) {
        store.releaseLeases(memberId, ending.rangeIds);
      }
      store.leave(memberId);
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("error", e.toString()).log("could not release the shard leases; another process takes them when they expire");
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
