package io.finops4j.batch;

import io.finops4j.api.Attribution;
import io.finops4j.api.BatchHandle;
import io.finops4j.api.BatchItem;
import io.finops4j.api.BatchResult;
import io.finops4j.api.Attempt;
import io.finops4j.api.Completion;
import io.finops4j.api.CompletionRequest;
import io.finops4j.api.Prompt;
import io.finops4j.api.ProviderException;
import io.finops4j.api.Finops4jException;
import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.Money;
import io.finops4j.api.Route;
import io.finops4j.api.Usage;
import io.finops4j.api.spi.CallContext;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.api.spi.ConfigNode;
import io.finops4j.api.spi.ProviderClient;
import io.finops4j.api.spi.ProviderRequest;
import io.finops4j.api.spi.ProviderResponse;
import io.finops4j.budget.BudgetInterceptor;
import io.finops4j.core.ParameterRules;
import io.finops4j.core.LivePrices;
import io.finops4j.core.TokenCounter;
import io.finops4j.providers.batch.BatchClient;
import io.finops4j.providers.batch.BatchLine;
import io.finops4j.providers.batch.BatchRequest;
import io.finops4j.providers.batch.BatchStatus;
import io.finops4j.routing.RoutingPolicy;
import io.finops4j.routing.TaskPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks with {@code mode: batch} through the providers' batch APIs (OpenAI Batch, Anthropic Message
 * Batches) at the batch price.
 *
 * <p>On submission: the task's tier picks the first candidate whose provider has a batch API; each item's worst
 * case (conservative input bound and the task's output ceiling, at the batch rate) is reserved on the budgets
 * under its own call id, all items or none; the pending batch is written to the state file; the batch is
 * uploaded. A poller checks every pending batch each {@code poll-interval}; when a batch has ended, each item is
 * priced from the usage on its result line at the batch rate, its reservation settled (or released when it
 * errored, expired or was cancelled: the provider bills none of those), and one {@link CallRecord} per item goes
 * to the engine's listeners, whether or not anyone holds the handle. Pending batches survive a restart through
 * the state file: a new engine re-reserves and keeps polling them, and {@code attachBatch(id)} hands out their
 * handle again.
 */
public final class BatchEngine implements AutoCloseable {

  /** Sent as the output ceiling when the task names none, so that the reserved worst case really bounds an item. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
  /** How often pending batches are polled unless configured. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
  static final String MISSING = "missing_result";

  private static final Logger log = LoggerFactory.getLogger(BatchEngine.class);

  private final RoutingPolicy policy;
  private final Map<String, BatchClient> clients = new LinkedHashMap<>();
  /** Each batch provider's base URL (or null), for the items' server.address and server.port. */
  private final Map<String, java.net.URI> servers = new HashMap<>();
  private final LivePrices prices;
  private final ParameterRules parameters;
  private final TokenCounter tokens;
  private final BudgetInterceptor budgets;
  private final ItemCalls calls;
  private final Clock clock;
  private final BatchStateFile state;
  private final Duration pollInterval;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Map<String, PendingBatch> pending = new ConcurrentHashMap<>();
  private volatile boolean polling;

  /** Where the state lives and how often to poll: {@code finops4j.batch: { state-path, poll-interval }}. */
  public record Settings(Path statePath, Duration pollInterval) {

    public Settings {
      pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("poll-interval must be positive, got " + pollInterval);
      }
    }

    /** Reads {@code finops4j.batch}; every key is optional. Without a state path, pending batches live in memory. */
    public static Settings fromConfig(ConfigNode batch) {
      batch.allowKeys("state-path", "poll-interval");
      ConfigNode path = batch.get("state-path");
      Duration interval = batch.get("poll-interval").asDuration(DEFAULT_POLL_INTERVAL, Duration.ZERO,
          Duration.ofDays(1));
      if (interval.isNegative() || interval.isZero()) {
        throw batch.get("poll-interval").error("must be a positive duration, got " + interval);
      }
      return new Settings(path.isPresent() ? Path.of(path.asString()) : null, interval);
    }
  }

  /**
   * @param providers the engine's provider clients by name; those with a batch API serve batch tasks
   * @param budgets the engine's budgets, or {@code null} for none
   * @param calls the engine's call ids and listeners: each item is one call, with the events of one
   * @param scheduler runs the poller; {@code null} for a daemon thread of its own, closed with this engine
   * @param parameters the model rules applied to what each item sends
   */
  public BatchEngine(RoutingPolicy policy, Map<String, ProviderClient> providers, LivePrices prices,
      TokenCounter tokens, BudgetInterceptor budgets, ItemCalls calls,
      Clock clock, Settings settings, ScheduledExecutorService scheduler, ParameterRules parameters) {
    this.policy = policy;
    this.parameters = parameters;
    providers.forEach((name, client) -> {
      BatchClient c = BatchClient.of(client);
      if (c != null) {
        clients.put(name, c);
        servers.put(name, client.server());
      }
    });
    this.prices = prices;
    this.tokens = tokens;
    this.budgets = budgets;
    this.calls = calls;
    this.clock = clock;
    this.state = settings.statePath() == null ? null : new BatchStateFile(settings.statePath());
    this.pollInterval = settings.pollInterval();
    this.ownsScheduler = scheduler == null;
    this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "finops4j-batch-poller");
      t.setDaemon(true);
      return t;
    });
    if (state != null) {
      for (PendingBatch p : state.load()) {
        resume(p);
      }
    }
  }

  /** Re-holds the reservations of a batch submitted by an earlier engine and polls it again. */
  private void resume(PendingBatch p) {
    if (!clients.containsKey(p.provider)) {
      log.error("pending batch {} is on provider '{}', which has no batch client now (configured: {}); it stays in"
          + " the state file unpolled", p.id, p.provider, clients.keySet());
    }
    if (budgets != null) {
      for (PendingBatch.Item i : p.items) {
        try {
          // admitted before the restart: counted again, never refused
          budgets.reserveOutOfBand(i.callId(), i.attribution(), i.worstNanos(), i.worstTokens(), false);
        } catch (IllegalStateException stillHeld) {
          // a shared store (Redis) still holds it from before the restart
        }
      }
    }
    pending.put(p.id, p);
    startPolling();
  }

  /** Submits {@code items} of the batch task {@code taskType}; see {@link io.finops4j.api.Llm#submitBatch}. */
  public BatchHandle submit(String taskType, List<BatchItem> items) {
    if (policy.batchWait(taskType) == null) {
      TaskPolicy known = policy.task(taskType); // fails for an unknown task, listing the known ones
      throw new Finops4jException("task '" + taskType + "' is not a batch task: add 'mode: batch' to finops4j.tasks."
          + known.name() + " to submit it with submitBatch, or call complete() for it");
    }
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one item");
    }
    Set<String> ids = new HashSet<>();
    for (BatchItem item : items) {
      if (!ids.add(item.id())) {
        throw new IllegalArgumentException("batch item id '" + item.id() + "' appears twice; ids tie results to items");
      }
    }
    TaskPolicy task = policy.task(taskType);
    ModelId model = null;
    for (ModelId candidate : policy.candidates(task.tier())) {
      if (clients.containsKey(candidate.provider())) {
        model = candidate;
        break;
      }
    }
    if (model == null) {
      throw new Finops4jException("no model of tier '" + task.tier() + "' (" + policy.candidates(task.tier())
          + ") is on a provider with a batch API; batch tasks need an OpenAI or Anthropic model (providers with one: "
          + clients.keySet() + ")");
    }
    BatchClient client = clients.get(model.provider());
    ModelPrice price = prices.price(model);
    int maxOutput = task.maxOutputTokens() != null ? task.maxOutputTokens() : DEFAULT_MAX_OUTPUT_TOKENS;
    boolean cachePrompt = policy.promptCaching(task.name());
    List<PendingBatch.Item> held = new ArrayList<>(items.size());
    List<BatchRequest> requests = new ArrayList<>(items.size());
    try {
      for (BatchItem item : items) {
        String callId = calls.nextCallId();
        long input = tokens.upperBound(item.prompt(), model);
        long worstNanos = Money.toNanosCeil(batchRate(price, price.worstCase(input, maxOutput)));
        PendingBatch.Item i = new PendingBatch.Item(item.id(), callId, item.attribution(), input, worstNanos,
            input + maxOutput);
        if (budgets != null) {
          budgets.reserveOutOfBand(callId, item.attribution(), worstNanos, i.worstTokens(), true);
        }
        held.add(i);
        requests.add(new BatchRequest(item.id(), new ProviderRequest(model.model(), item.prompt(), maxOutput,
            parameters.temperature(model, task.temperature()), endUser(item.attribution()), cachePrompt)));
      }
    } catch (RuntimeException e) {
      releaseAll(held); // all items or none: a batch is not half admitted
      throw e;
    }
    String batchId;
    try {
      batchId = client.submit(requests);
    } catch (RuntimeException e) {
      releaseAll(held);
      throw e;
    }
    PendingBatch p = new PendingBatch(batchId, model.provider(), model, taskType, task.tier(), clock.instant(), held,
        "submitted");
    pending.put(batchId, p);
    save();
    startPolling();
    return handle(p);
  }

  /** The handle of a pending batch, this engine's or one resumed from the state file. */
  public BatchHandle attach(String batchId) {
    PendingBatch p = pending.get(batchId);
    if (p == null) {
      throw new Finops4jException("no pending batch '" + batchId + "': it was not submitted by this application, its"
          + " results were already recorded, or " + (state == null
              ? "no batch state file is configured (finops4j.batch.state-path), so pending batches do not survive a"
                  + " restart"
              : "the batch state file " + state.path() + " does not list it"));
    }
    return handle(p);
  }

  /** Polls every pending batch once, now, on the calling thread; the scheduler calls it every poll interval. */
  public void pollNow() {
    for (PendingBatch p : List.copyOf(pending.values())) {
      try {
        poll(p);
      } catch (RuntimeException e) {
        // the provider is down or slow: the next tick tries again
        log.warn("polling batch {} on {} failed: {}", p.id, p.provider, e.toString());
      }
    }
  }

  /** The ids of the batches still pending. */
  public Set<String> pendingIds() {
    return Set.copyOf(pending.keySet());
  }

  private void poll(PendingBatch p) {
    BatchClient client = clients.get(p.provider);
    if (client == null) {
      return;
    }
    synchronized (p) {
      if (p.done) {
        return;
      }
      BatchStatus status = client.poll(p.id);
      p.status = status.status();
      if (!status.ended()) {
        return;
      }
      List<BatchResult> results = record(p, status);
      p.done = true;
      pending.remove(p.id);
      save();
      p.results.complete(results);
    }
  }

  private List<BatchResult> record(PendingBatch p, BatchStatus status) {
    Map<String, BatchLine> lines = new HashMap<>();
    for (BatchLine line : status.lines()) {
      lines.put(line.customId(), line);
    }
    ModelPrice price = prices.price(p.model);
    ModelId reported = prices.baseModel(p.model);
    Route route = new Route(p.tier, List.of(p.model), List.of("task " + p.taskType + " -> batch " + p.id));
    Instant now = clock.instant();
    long waited = Math.max(0, Duration.between(p.submittedAt, now).toNanos());
    List<BatchResult> results = new ArrayList<>(p.items.size());
    java.net.URI server = servers.get(p.model.provider());
    for (PendingBatch.Item item : p.items) {
      BatchLine line = lines.get(item.itemId());
      // the item's prompt is not kept past submission (nor in the state file): listeners see the task and the
      // attribution, never the text
      CompletionRequest request = CompletionRequest.builder(p.taskType, Prompt.of(BATCH_ITEM_PROMPT))
          .attribution(item.attribution()).model(p.model).build();
      CallContext call = calls.start(item.callId(), request);
      call.route(route);
      call.listener().routeSelected(call, route);
      CallRecord.Builder r = CallRecord.builder().timestamp(now).callId(item.callId()).attribution(item.attribution())
          .taskType(p.taskType).tier(p.tier).model(reported).routeReason(route.reason()).attempts(1)
          .latencyNanos(waited).priceVersion(prices.version()).cacheStatus("off");
      if (line != null && line.response() != null) {
        ProviderResponse answer = line.response();
        Usage usage = answer.usage();
        if (usage == null) {
          // never priced at zero: the conservative input bound and the counted output, marked estimated
          usage = Usage.builder().inputTokens(item.inputTokens())
              .outputTokens(tokens.countText(answer.text(), p.model)).estimated(true).build();
        }
        BigDecimal cost = price.batchCost(usage);
        attempt(call, new Attempt(p.model, "ok", 200, waited, answer.requestId()), server);
        if (budgets != null) {
          budgets.settleOutOfBand(item.callId(), item.attribution(), cost, usage.totalTokens(), call);
        }
        Completion c = Completion.builder().text(answer.text()).model(reported).tier(p.tier).usage(usage).costUsd(cost)
            .finishReason(answer.finishReason()).callId(item.callId()).requestId(answer.requestId())
            .responseId(answer.responseId()).servedModel(answer.model())
            .priceVersion(prices.version()).route(route).attempts(call.attempts()).build();
        call.listener().callEnd(call, c, r.outcome(CallRecord.OK).usage(usage).costUsd(cost).build());
        results.add(BatchResult.ok(item.itemId(), c));
      } else {
        String type = line != null ? line.errorType() : MISSING;
        String message = line != null ? line.errorMessage()
            : "the batch ended (" + status.status() + ") without a result for this item"
                + (status.error() != null ? ": " + status.error() : "");
        if (budgets != null) {
          budgets.releaseOutOfBand(item.callId()); // errored, expired and cancelled requests are not billed
        }
        String code = "batch_" + type;
        attempt(call, new Attempt(p.model, code, 0, waited, null), server);
        call.listener().callFailed(call, new ProviderException(p.model.provider(), 0, code, null, false, null,
            "batch " + p.id + " item " + item.itemId() + ": " + message, null), r.outcome(CallRecord.ERROR)
            .errorType(code).build());
        results.add(BatchResult.failed(item.itemId(), type, message));
      }
    }
    return results;
  }

  /** The item's one exchange, as a real-time attempt is reported: the wait from submission is its duration. */
  private static void attempt(CallContext call, Attempt attempt, java.net.URI server) {
    call.addAttempt(attempt);
    call.listener().attemptEnd(call, attempt, server);
  }

  /** The prompt listeners see for a batch item: the text itself stays with the provider. */
  static final String BATCH_ITEM_PROMPT = "[batch item]";

  private static BigDecimal batchRate(ModelPrice price, BigDecimal full) {
    return price.batchDiscount() == null ? full : full.multiply(price.batchDiscount());
  }

  private static String endUser(Attribution a) {
    return a.user() != null ? a.user() : a.customer();
  }

  private void releaseAll(List<PendingBatch.Item> held) {
    if (budgets == null) {
      return;
    }
    for (PendingBatch.Item i : held) {
      try {
        budgets.releaseOutOfBand(i.callId());
      } catch (RuntimeException e) {
        log.error("could not release the reservation of batch item {}; its lease will expire", i.callId(), e);
      }
    }
  }

  private synchronized void save() {
    if (state != null) {
      try {
        state.save(pending.values());
      } catch (RuntimeException e) {
        // the batch runs and is polled all the same; only a restart would lose track of it
        log.error("{}; pending batches will not survive a restart until it can be written", e.getMessage());
      }
    }
  }

  private BatchHandle handle(PendingBatch p) {
    return new BatchHandle(p.id, () -> p.status, p.results);
  }

  private synchronized void startPolling() {
    if (!polling) {
      polling = true;
      long ms = pollInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::pollNow, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops polling; pending batches stay in the state file for the next engine. */
  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }
}
