package io.finops4j.budget;

import io.finops4j.api.Attribution;
import io.finops4j.api.BudgetExceededException;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.Money;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Route;
import io.finops4j.api.spi.BudgetCharge;
import io.finops4j.api.spi.BudgetKey;
import io.finops4j.api.spi.BudgetReservation;
import io.finops4j.api.spi.BudgetSnapshot;
import io.finops4j.api.spi.BudgetStore;
import io.finops4j.api.spi.BudgetOvershoot;
import io.finops4j.api.spi.BudgetView;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.Interceptor;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets, per-request cost caps and per-workflow caps, as one interceptor that runs after routing and before
 * the provider call, so that nothing it refuses ever reaches the network.
 *
 * <p>Per call: the worst case W is computed over every candidate model of the route (fallback may use any of
 * them) from a conservative input-token bound and the output ceiling; the per-request cap (the smaller of the
 * task's {@code max-cost-per-request} and the request's {@code maxCostUsd}) clamps that ceiling, which is then
 * set on the request so W really bounds the call. The workflow cap admits the call; then W is reserved on every
 * budget that counts the call, all or nothing. After the call the reservations are settled with the exact cost
 * (or token usage); a failed call releases them. Alert thresholds fire once per budget, window and threshold.
 *
 * <p>Also the read side: {@link #usage(Attribution)} for routing, {@link #tracked()} for dashboards.
 */
public final class BudgetInterceptor implements Interceptor, BudgetView, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BudgetInterceptor.class);

  private final Budget[] budgets;
  /** The budgets routing reads on every call: only those with a downgrade fraction. */
  private final Budget[] downgradable;
  private final Map<String, Budget> byId;
  /** Per task: the cap with its name and femto-USD figure, worked out once rather than on every call. */
  private final Map<String, TaskCap> taskCaps;
  private final WorkflowCaps workflowCaps;
  private final BudgetStore store;
  private final Clock clock;
  private final List<BudgetAlertListener> listeners;

  private BudgetInterceptor(Builder b) {
    this.budgets = b.budgets.toArray(new Budget[0]);
    this.downgradable = b.budgets.stream().filter(x -> x.downgradeAt() > 0).toArray(Budget[]::new);
    Map<String, Budget> ids = new LinkedHashMap<>();
    for (Budget budget : budgets) {
      if (ids.put(budget.id(), budget) != null) {
        throw new IllegalArgumentException("two budgets have the id '" + budget.id() + "'; give one an explicit id");
      }
    }
    this.byId = Map.copyOf(ids);
    Map<String, TaskCap> caps = new HashMap<>();
    b.taskCaps.forEach((task, usd) -> caps.put(task,
        new TaskCap(usd, "task " + task, CallEstimate.toFemtoFloor(usd))));
    this.taskCaps = Map.copyOf(caps);
    this.workflowCaps = b.workflowCaps;
    this.store = b.store != null ? b.store : new InMemoryBudgetStore(b.lease);
    this.clock = b.clock;
    this.listeners = List.copyOf(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code budgets}, {@code workflow-caps} and {@code tasks.*.max-cost-per-request} (and the optional
   * {@code budget.lease}) from the whole {@code finops4j} node; counters live in memory.
   */
  public static BudgetInterceptor fromConfig(ConfigNode root, Clock clock) {
    return BudgetConfig.read(root, builder().clock(clock)).build();
  }

  /** As {@link #fromConfig(ConfigNode, Clock)}, with counters in {@code store} (a shared store, say). */
  public static BudgetInterceptor fromConfig(ConfigNode root, Clock clock, BudgetStore store) {
    return BudgetConfig.read(root, builder().clock(clock).store(store)).build();
  }

  /** The budgets, in configuration order. */
  public List<Budget> budgets() {
    return List.of(budgets);
  }

  /** The store holding the counters. */
  public BudgetStore store() {
    return store;
  }

  @Override
  public Completion intercept(Chain chain) {
    CompletionRequest request = chain.request();
    CallContext ctx = chain.context();
    Attribution attribution = request.attribution();
    Budget[] hit = null;
    String[] keys = null;
    int n = 0;
    boolean needUsd = false;
    for (int i = 0; i < budgets.length; i++) {
      Budget b = budgets[i];
      String key = b.keyFor(attribution);
      if (key != null) {
        if (keys == null) {
          keys = new String[budgets.length];
        }
        if (hit == null && n < i) {
          hit = Arrays.copyOf(budgets, budgets.length); // a budget before this one did not count the call
        }
        if (hit != null) {
          hit[n] = b;
        }
        keys[n++] = key;
        needUsd |= b.unit() == Budget.Unit.USD;
      }
    }
    if (hit == null && n > 0) {
      hit = budgets; // every budget so far counted the call, in order: the first n are the ones hit (read only)
    }
    TaskCap taskCap = taskCaps.get(request.taskType());
    BigDecimal callCap = request.maxCostUsd();
    boolean byTask = taskCap != null && (callCap == null || taskCap.usd().compareTo(callCap) <= 0);
    BigDecimal cap = byTask ? taskCap.usd() : callCap;
    String workflow = workflowCaps == null ? null : attribution.workflow();
    if (n == 0 && cap == null && workflow == null) {
      return chain.proceed(request);
    }
    needUsd |= workflow != null && workflowCaps.capsCost();
    String capName = cap == null ? null : byTask ? taskCap.name() : "request";
    long capFemto = cap == null ? 0 : byTask ? taskCap.femto() : CallEstimate.toFemtoFloor(cap);
    Route route = ctx.route();
    if (route == null) {
      if (request.model() == null) {
        throw new Finops4jException("budgets and cost caps need the call's route, and routing has not set one "
            + "(task " + request.taskType() + "); refusing the call rather than sending it unchecked");
      }
      route = Route.forced(request.model());
    }
    CallEstimate est = CallEstimate.of(request, route, ctx, needUsd, cap, capName, capFemto);
    request = request.withMaxOutputTokens(est.maxOutputTokens());

    String callId = ctx.callId();
    long now = clock.millis();
    long workflowWorst = workflow != null && workflowCaps.capsCost() ? est.worstNanos() : 0;
    WorkflowCaps.State ws = null;
    if (workflow != null) {
      ws = workflowCaps.admit(workflow, workflowWorst, now); // a refusal reaches listeners as callFailed
    }
    BudgetPeriod.Window[] windows = n == 0 ? null : new BudgetPeriod.Window[n];
    if (n > 0) {
      reserve(callId, ctx, hit, keys, n, windows, est, now, ws, workflowWorst);
    }

    Completion completion;
    try {
      completion = chain.proceed(request);
    } catch (RuntimeException | Error e) {
      if (e instanceof ProviderException pe && pe.partialCostUsd() != null) {
        // a stream that broke or was cancelled after text reached the caller: the provider bills what it
        // generated, so the estimate is charged like a cost
        Completion partial = Completion.builder().text("").model(route.primary()).usage(pe.partialUsage())
            .costUsd(pe.partialCostUsd()).build();
        settle(callId, ctx, partial, hit, keys, n, windows, est);
        if (ws != null) {
          workflowCaps.settle(ws, workflowWorst, Money.toNanos(pe.partialCostUsd()), clock.millis());
        }
        throw e;
      }
      // the provider did not answer: release what the call held; nothing was charged by the provider we know of
      if (n > 0) {
        safely(() -> store.release(callId, clock.instant()), callId, "release");
      }
      if (ws != null) {
        workflowCaps.settle(ws, workflowWorst, 0, clock.millis());
      }
      throw e;
    }
    settle(callId, ctx, completion, hit, keys, n, windows, est);
    if (ws != null) {
      workflowCaps.settle(ws, workflowWorst, Money.toNanos(completion.costUsd()), clock.millis());
    }
    return completion;
  }

  private void reserve(String callId, CallContext ctx, Budget[] hit, String[] keys, int n,
      BudgetPeriod.Window[] windows, CallEstimate est, long now, WorkflowCaps.State ws,
      long workflowWorst) {
    List<BudgetCharge> charges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Budget b = hit[i];
      windows[i] = b.windowAt(now);
      long limit = b.onExceed() == Budget.OnExceed.REJECT ? b.limitUnits() : BudgetCharge.UNLIMITED;
      charges.add(new BudgetCharge(b.counterKey(keys[i], windows[i].start()), est.worst(b.unit()), limit,
          windows[i].end()));
    }
    BudgetReservation r;
    try {
      r = store.reserve(callId, charges, Instant.ofEpochMilli(now));
    } catch (RuntimeException e) {
      if (ws != null) {
        workflowCaps.undo(ws, workflowWorst);
      }
      throw e;
    }
    if (!r.granted()) {
      if (ws != null) {
        workflowCaps.undo(ws, workflowWorst);
      }
      int i = r.deniedIndex();
      Budget b = hit[i];
      BudgetSnapshot s = r.counters().get(0);
      throw new BudgetExceededException(b.id(), b.scope(), displayKey(keys[i]), b.unit().label(), b.limit(),
          amount(b, s.spent()), amount(b, s.reserved()), amount(b, est.worst(b.unit())),
          Instant.ofEpochMilli(windows[i].end()));
    }
    ctx.listener().budgetReserved(ctx, new ReservedUsages(hit, windows, r.counters(), n));
    for (int i = 0; i < n; i++) {
      Budget b = hit[i];
      if (b.onExceed() != Budget.OnExceed.REJECT) {
        BudgetSnapshot s = r.counters().get(i);
        if (s.spent() + s.reserved() > b.limitUnits()) {
          log.debug("budget {} ({} {}) is over its limit; on-exceed {} lets call {} through", b.id(), b.scope(),
              keys[i], b.onExceed(), callId);
        }
      }
    }
  }

  private void settle(String callId, CallContext ctx, Completion completion, Budget[] hit, String[] keys, int n,
      BudgetPeriod.Window[] windows, CallEstimate est) {
    long actualNanos = Money.toNanos(completion.costUsd());
    long actualTokens = completion.usage().totalTokens();
    boolean tokenBudgets = false;
    for (int i = 0; i < n; i++) {
      tokenBudgets |= hit[i].unit() == Budget.Unit.TOKENS;
    }
    if ((est.worstNanos() > 0 && actualNanos > est.worstNanos()) || (tokenBudgets && actualTokens > est.worstTokens())) {
      // charged in full all the same: the money is spent; the estimate or the provider's ceiling was wrong
      if (ctx != null) {
        ctx.listener().budgetOvershoot(ctx, new BudgetOvershoot(completion.model(),
            Money.fromNanos(est.worstNanos()), completion.costUsd(), est.worstTokens(), actualTokens));
      }
      log.warn("call {} on {} used more than its worst case (cost {} USD vs {} USD, {} tokens vs {}); charged in "
          + "full", callId, completion.model(), completion.costUsd().toPlainString(),
          Money.fromNanos(est.worstNanos()).toPlainString(), actualTokens, est.worstTokens());
    }
    if (n == 0) {
      return;
    }
    long[] actual = new long[n];
    for (int i = 0; i < n; i++) {
      actual[i] = hit[i].unit() == Budget.Unit.USD ? actualNanos : actualTokens;
    }
    List<BudgetSnapshot> after;
    try {
      after = store.settle(callId, actual, clock.instant());
    } catch (RuntimeException e) {
      log.error("could not settle the budgets of call {}; its lease will expire", callId, e);
      return;
    }
    if (after.size() != n) {
      return;
    }
    for (int i = 0; i < n; i++) {
      long[] thresholds = hit[i].thresholdUnits();
      if (thresholds.length == 0) {
        continue; // a budget without alert thresholds: its counter's figures are not needed (and not made)
      }
      long spent = after.get(i).spent();
      long before = spent - actual[i];
      for (int j = 0; j < thresholds.length; j++) {
        // exactly one settle moves spent across a threshold: spent only grows within a window
        if (before < thresholds[j] && thresholds[j] <= spent) {
          alert(ctx, callId, hit[i], keys[i], windows[i], hit[i].alertFraction(j), after.get(i));
        }
      }
    }
  }

  private void alert(CallContext ctx, String callId, Budget b, String key, BudgetPeriod.Window w, double fraction,
      BudgetSnapshot after) {
    BudgetAlert alert = new BudgetAlert(b.id(), b.scope(), displayKey(key), b.unit().label(), fraction, b.limit(),
        amount(b, after.spent()), Instant.ofEpochMilli(w.start()), Instant.ofEpochMilli(w.end()), callId);
    if (ctx != null) {
      ctx.listener().thresholdCrossed(ctx, toUsage(b, after, w), fraction);
    }
    log.info("budget {} ({} {}) passed {}% of its limit of {} {}: {} spent; resets at {}", b.id(), b.scope(), key,
        Math.round(fraction * 100), b.limit().toPlainString(), b.unit().label(), alert.spent().toPlainString(),
        alert.resetsAt());
    for (BudgetAlertListener l : listeners) {
      try {
        l.onThreshold(alert);
      } catch (RuntimeException e) {
        log.warn("budget alert listener {} failed", l, e);
      }
    }
  }

  /**
   * Reserves a call that does not run through the chain (a batch item, answered hours later): {@code worstNanos}
   * on every USD budget and {@code worstTokens} on every token budget that counts {@code attribution}, all or
   * nothing, under {@code callId}. Settle it with {@link #settleOutOfBand} or release it with
   * {@link #releaseOutOfBand}. The reservation is a lease of the store like any other.
   *
   * @param enforce false to count without ever denying (re-reserving an item admitted before a restart)
   * @return false when no budget counts the attribution (nothing was reserved)
   * @throws BudgetExceededException when {@code enforce} and a budget that rejects cannot hold the amount
   */
  public boolean reserveOutOfBand(String callId, Attribution attribution, long worstNanos, long worstTokens,
      boolean enforce) {
    long now = clock.millis();
    List<BudgetCharge> charges = new ArrayList<>();
    List<Budget> hit = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<BudgetPeriod.Window> windows = new ArrayList<>();
    for (Budget b : budgets) {
      String key = b.keyFor(attribution);
      if (key != null) {
        BudgetPeriod.Window w = b.windowAt(now);
        long amount = b.unit() == Budget.Unit.USD ? worstNanos : worstTokens;
        long limit = enforce && b.onExceed() == Budget.OnExceed.REJECT ? b.limitUnits() : BudgetCharge.UNLIMITED;
        charges.add(new BudgetCharge(new BudgetKey(b.id(), key, w.start()), amount, limit, w.end()));
        hit.add(b);
        keys.add(key);
        windows.add(w);
      }
    }
    if (charges.isEmpty()) {
      return false;
    }
    BudgetReservation r = store.reserve(callId, charges, Instant.ofEpochMilli(now));
    if (!r.granted()) {
      int i = r.deniedIndex();
      Budget b = hit.get(i);
      BudgetSnapshot s = r.counters().get(0);
      throw new BudgetExceededException(b.id(), b.scope(), displayKey(keys.get(i)), b.unit().label(), b.limit(),
          amount(b, s.spent()), amount(b, s.reserved()), amount(b, charges.get(i).amount()),
          Instant.ofEpochMilli(windows.get(i).end()));
    }
    return true;
  }

  /**
   * Settles a reservation of {@link #reserveOutOfBand} with the exact cost and tokens; fires alert thresholds as a
   * call through the chain does. Settling twice changes nothing.
   */
  public void settleOutOfBand(String callId, Attribution attribution, BigDecimal costUsd, long tokens) {
    settleOutOfBand(callId, attribution, costUsd, tokens, null);
  }

  /**
   * As {@link #settleOutOfBand(String, Attribution, BigDecimal, long)}, firing each threshold crossed to
   * {@code ctx}'s listener ({@code ctx} may be null): a batch item reports like a call through the chain.
   */
  public void settleOutOfBand(String callId, Attribution attribution, BigDecimal costUsd, long tokens,
      CallContext ctx) {
    long now = clock.millis();
    List<Budget> hit = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Budget b : budgets) {
      String key = b.keyFor(attribution);
      if (key != null) {
        hit.add(b);
        keys.add(key);
      }
    }
    if (hit.isEmpty()) {
      return;
    }
    long nanos = Money.toNanos(costUsd);
    long[] actual = new long[hit.size()];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = hit.get(i).unit() == Budget.Unit.USD ? nanos : tokens;
    }
    List<BudgetSnapshot> after;
    try {
      after = store.settle(callId, actual, Instant.ofEpochMilli(now));
    } catch (RuntimeException e) {
      log.error("could not settle the budgets of call {}; its lease will expire", callId, e);
      return;
    }
    for (int i = 0; i < after.size() && i < hit.size(); i++) {
      Budget b = hit.get(i);
      long[] thresholds = b.thresholdUnits();
      long spent = after.get(i).spent();
      for (int j = 0; j < thresholds.length; j++) {
        if (spent - actual[i] < thresholds[j] && thresholds[j] <= spent) {
          alert(ctx, callId, b, keys.get(i), b.windowAt(now), b.alertFraction(j), after.get(i));
        }
      }
    }
  }

  /** Releases a reservation of {@link #reserveOutOfBand} without charging; false when nothing was held. */
  public boolean releaseOutOfBand(String callId) {
    return store.release(callId, clock.instant());
  }

  @Override
  public List<BudgetUsage> usage(Attribution attribution) {
    return usage(attribution, budgets);
  }

  @Override
  public List<BudgetUsage> downgradable(Attribution attribution) {
    return downgradable.length == 0 ? List.of() : usage(attribution, downgradable);
  }

  private List<BudgetUsage> usage(Attribution attribution, Budget[] which) {
    long now = clock.millis();
    List<BudgetUsage> out = new ArrayList<>(which.length);
    for (Budget b : which) {
      String key = b.keyFor(attribution);
      if (key != null) {
        BudgetPeriod.Window w = b.windowAt(now);
        out.add(toUsage(b, store.snapshot(b.counterKey(key, w.start())), w));
      }
    }
    return out;
  }

  /**
   * Every budget counter in its current window, for dashboards: one entry per budget and scope value that has
   * been charged, ordered by budget id and key. Reads the whole store: not for the hot path.
   */
  @Override
  public List<BudgetUsage> tracked() {
    long now = clock.millis();
    List<BudgetUsage> out = new ArrayList<>();
    for (BudgetSnapshot s : store.snapshots()) {
      Budget b = byId.get(s.key().budgetId());
      if (b != null) {
        BudgetPeriod.Window w = b.windowAt(now);
        if (w.start() == s.key().windowStart()) {
          out.add(toUsage(b, s, w));
        }
      }
    }
    out.sort(Comparator.comparing(BudgetUsage::budgetId)
        .thenComparing(u -> u.key() == null ? "" : u.key()));
    return out;
  }

  /**
   * The budgets a call reserved on, as {@link BudgetUsage}s made when read: the event costs one small object per
   * call, and the money conversions only happen for a listener that looks.
   */
  private static final class ReservedUsages extends java.util.AbstractList<BudgetUsage> {
    private final Budget[] budgets;
    private final BudgetPeriod.Window[] windows;
    private final List<BudgetSnapshot> counters;
    private final int n;

    ReservedUsages(Budget[] budgets, BudgetPeriod.Window[] windows, List<BudgetSnapshot> counters, int n) {
      this.budgets = budgets;
      this.windows = windows;
      this.counters = counters;
      this.n = n;
    }

    @Override
    public BudgetUsage get(int i) {
      java.util.Objects.checkIndex(i, n);
      return toUsage(budgets[i], counters.get(i), windows[i]);
    }

    @Override
    public int size() {
      return n;
    }
  }

  /** A task's per-request cap: USD, its name in messages and events, and the femto-USD figure the estimate uses. */
  private record TaskCap(BigDecimal usd, String name, long femto) {}

  private static BudgetUsage toUsage(Budget b, BudgetSnapshot s, BudgetPeriod.Window w) {
    return new BudgetUsage(b.id(), b.scope(), displayKey(s.key().scopeKey()), b.unit().label(), b.limit(),
        amount(b, s.spent()), amount(b, s.reserved()), Instant.ofEpochMilli(w.end()), b.downgradeAt(), s.known());
  }

  private static String displayKey(String key) {
    return Budget.GLOBAL_KEY.equals(key) ? null : key;
  }

  private static BigDecimal amount(Budget b, long units) {
    return b.unit() == Budget.Unit.USD ? Money.fromNanos(units).stripTrailingZeros() : BigDecimal.valueOf(units);
  }

  private static void safely(Runnable r, String callId, String what) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("could not {} the budgets of call {}; its lease will expire", what, callId, e);
    }
  }

  /** Closes the store. */
  @Override
  public void close() {
    try {
      store.close();
    } catch (Exception e) {
      log.warn("closing the budget store failed", e);
    }
  }

  /** Builds a {@link BudgetInterceptor}. With nothing configured it lets every call through unchanged. */
  public static final class Builder {
    private final List<Budget> budgets = new ArrayList<>();
    private final Map<String, BigDecimal> taskCaps = new HashMap<>();
    private final List<BudgetAlertListener> listeners = new ArrayList<>();
    private WorkflowCaps workflowCaps;
    private BudgetStore store;
    private Clock clock = Clock.systemUTC();
    private Duration lease = InMemoryBudgetStore.DEFAULT_LEASE;

    private Builder() {}

    public Builder budget(Budget b) {
      budgets.add(Objects.requireNonNull(b, "budget"));
      return this;
    }

    public Builder budgets(Collection<Budget> bs) {
      bs.forEach(this::budget);
      return this;
    }

    /** A per-request cost cap for every call of {@code task}; a smaller {@code maxCostUsd} on a call wins. */
    public Builder taskCap(String task, BigDecimal usd) {
      Objects.requireNonNull(task, "task");
      if (usd == null || usd.signum() <= 0) {
        throw new IllegalArgumentException("max-cost-per-request of task " + task + " must be positive, got " + usd);
      }
      taskCaps.put(task, usd);
      return this;
    }

    /**
     * Caps every workflow ({@code Attribution.workflow()}) at {@code maxCalls} calls (0 for no call cap) and
     * {@code maxCostUsd} (null for no cost cap); a workflow idle for {@code idleExpiry} is forgotten.
     */
    public Builder workflowCaps(long maxCalls, BigDecimal maxCostUsd, Duration idleExpiry) {
      workflowCaps = new WorkflowCaps(maxCalls, maxCostUsd, idleExpiry);
      return this;
    }

    /** Where counters live; an {@link InMemoryBudgetStore} by default. */
    public Builder store(BudgetStore s) { store = s; return this; }

    /** The clock for windows and leases; the system UTC clock by default. */
    public Builder clock(Clock c) { clock = Objects.requireNonNull(c, "clock"); return this; }

    public Builder listener(BudgetAlertListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** The lease of the default in-memory store (10 minutes unless set); ignored with {@link #store}. */
    public Builder lease(Duration d) { lease = Objects.requireNonNull(d, "lease"); return this; }

    public BudgetInterceptor build() {
      return new BudgetInterceptor(this);
    }
  }
}
