package io.finops4j.benchmarks.loopback;

import io.finops4j.benchmarks.LedgerBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side by side on one loopback server, in one JVM: raw OkHttp + Jackson, finops4j with every control on, the
 * framework clients found on the classpath (LangChain4j, Spring AI) and, as {@code portkey}, raw OkHttp through
 * Portkey's open-source gateway on the same upstream (when npx is available), at 1, 16 and 64 concurrent callers.
 *
 * <p>Clients are measured in interleaved rounds (A B C D, then B C D A, ...) and each round's throughput is divided
 * by raw OkHttp's in the same round: this machine is shared and noisy, absolute numbers drift, ratios within a round
 * hold. The table reports the median over rounds.
 *
 * <p>{@code benchmarks/run} runs it once per client, each with raw OkHttp ({@code --clients raw,finops4j}): clients
 * sharing a JVM make the JIT recompile each other's code, and an application runs one of them.
 *
 * <pre>
 * java -jar side-by-side.jar --callers 1,16,64 --rounds 9 --prewarm 40 --warmup 1 --measure 3 \
 *     --clients raw,finops4j --out target/finops4j.md
 * </pre>
 */
public final class SideBySide {

  /** Framework clients live in the benchmarks-frameworks module; they join the run when on the classpath. */
  private static final Map<String, String> OPTIONAL = Map.of(
      "langchain4j", "io.finops4j.benchmarks.frameworks.LangChain4jChat",
      "spring-ai", "io.finops4j.benchmarks.frameworks.SpringAiChat");

  record Result(String client, int callers, int round, double callsPerSecond, double p50Micros, double p99Micros,
      long errors, double cpuMicrosPerCall, double callerCpuMicros, double callerAllocKb, double switchesPerCall,
      long youngGcs, double gcPauseMillisPerSecond, double maxGcPauseMillis, double promotedKbPerSecond,
      double copiedKbPerGc) {}

  /** Context switches of every thread of this process so far (Linux; 0 elsewhere). */
  static long contextSwitches() {
    long sum = 0;
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (java.io.IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return sum;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int[] callers = Arrays.stream(opts.getOrDefault("callers", "1,16,64").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    double warmup = Double.parseDouble(opts.getOrDefault("warmup", "3"));
    double measure = Double.parseDouble(opts.getOrDefault("measure", "5"));
    double prewarm = Double.parseDouble(opts.getOrDefault("prewarm", "20"));
    List<String> names = List.of(opts.getOrDefault("clients", "raw,finops4j,langchain4j,spring-ai").split(","));
    Path ledgerDir = Files.createTempDirectory("finops4j-side-by-side");
    try {
      compare(opts, callers, rounds, warmup, measure, prewarm, names, ledgerDir);
    } finally {
      LedgerBenchmark.delete(ledgerDir); // a full run writes gigabytes of ledger rows
    }
  }

  private static void compare(Map<String, String> opts, int[] callers, int rounds, double warmup, double measure,
      double prewarm, List<String> names, Path ledgerDir) throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      List<ChatClient> clients = new ArrayList<>();
      for (String name : names) {
        ChatClient c = create(name.trim(), server.baseUrl(), ledgerDir);
        if (c != null) {
          clients.add(c);
        }
      }
      // Every client runs before any round: the JIT must have compiled each one's whole path (finops4j's and the
      // frameworks' are long) or the rounds measure the compiler. First half the time with as many callers as CPUs,
      // where the compiler threads get their share: among 16 busy callers on 2 cores they got so little that OkHttp's
      // RealCall.execute reached C2 only 77 s into the run. Then at the highest concurrency, so the code is compiled
      // for the contention it will meet.
      int cpus = Runtime.getRuntime().availableProcessors();
      for (ChatClient client : clients) {
        run(client, cpus, prewarm / 2, -1);
        Result warm = run(client, Arrays.stream(callers).max().orElse(16), prewarm / 2, -1);
        System.err.printf(Locale.ROOT, "prewarm %-36s %9.0f calls/s%n", client.name(), warm.callsPerSecond);
      }
      List<Result> results = new ArrayList<>();
      for (int c : callers) {
        for (int r = 0; r < rounds; r++) {
          for (int i = 0; i < clients.size(); i++) {
            ChatClient client = clients.get((i + r) % clients.size());
            // The clients share this JVM: what the previous one holds (a full cache of young entries) would otherwise
            // be copied by this client's young GCs until tenured. A full collection moves it to the old generation,
            // so each client's GC figures are its own (no-ledger after every-control copied 37 MB per young GC
            // against 22 MB alone)
            System.gc();
            run(client, c, warmup, r); // warm-up at this concurrency, discarded
            Result result = run(client, c, measure, r);
            results.add(result);
            System.err.printf(Locale.ROOT,
                "callers %2d round %d %-36s %9.0f calls/s p50 %7.1f us p99 %8.1f us cpu %6.1f us/call"
                    + " caller cpu %6.1f us alloc %5.1f KB switches %4.1f/call young GCs %3d pauses %6.1f ms/s"
                    + " (max %5.1f) promoted %7.0f KB/s copied %7.0f KB/GC%n",
                c, r, client.name(), result.callsPerSecond, result.p50Micros, result.p99Micros,
                result.cpuMicrosPerCall, result.callerCpuMicros, result.callerAllocKb, result.switchesPerCall,
                result.youngGcs, result.gcPauseMillisPerSecond, result.maxGcPauseMillis, result.promotedKbPerSecond,
                result.copiedKbPerGc);
          }
        }
      }
      for (ChatClient client : clients) {
        client.close();
      }
      String table = table(results, clients.get(0).name(), callers, clients);
      System.out.println(table);
      if (opts.containsKey("out")) {
        Files.writeString(Path.of(opts.get("out")), table);
      }
    }
  }

  /** finops4j with the controls {@code name} gives after {@code finops4j-} ({@link io.finops4j.benchmarks.Controls}). */
  private static ChatClient ablation(String name, String baseUrl, Path ledgerDir) {
    return new Finops4jChat(baseUrl, ledgerDir.resolve(name + ".jsonl"), name.substring("finops4j-".length()));
  }

  static ChatClient create(String name, String baseUrl, Path ledgerDir) throws Exception {
    switch (name) {
      case "raw":
        return new RawOkHttp(baseUrl);
      case "finops4j":
        return new Finops4jChat(baseUrl, ledgerDir.resolve("ledger.jsonl"));
      case "portkey":
        return PortkeyGateway.start(baseUrl);
      case "raw-timeout":
        return new RawOkHttp(baseUrl, RawOkHttp.Timeouts.CALL);
      case "raw-untimed":
        return new RawOkHttp(baseUrl, RawOkHttp.Timeouts.NONE);
      case "finops4j-no-cache", "finops4j-no-budgets", "finops4j-no-ledger", "finops4j-routing-only",
          "finops4j-second-request", "finops4j-always-store", "finops4j-no-telemetry", "finops4j-all-no-telemetry":
        return ablation(name, baseUrl, ledgerDir);
      default:
        if (name.startsWith("finops4j-only-")) {
          return ablation(name, baseUrl, ledgerDir);
        }
        String type = OPTIONAL.get(name);
        if (type == null) {
          throw new IllegalArgumentException("unknown client '" + name + "'; known: raw, raw-timeout, raw-untimed,"
              + " portkey, finops4j, finops4j-no-cache, finops4j-no-budgets, finops4j-no-ledger, finops4j-routing-only,"
              + " finops4j-second-request, finops4j-always-store, finops4j-no-telemetry, finops4j-all-no-telemetry,"
              + " finops4j-only-<controls> (only-budgets+ledger), "
              + String.join(", ", OPTIONAL.keySet()));
        }
        try {
          return (ChatClient) Class.forName(type).getConstructor(String.class).newInstance(baseUrl);
        } catch (ClassNotFoundException e) {
          System.err.println("skipping " + name + ": not on the classpath (run the benchmarks-frameworks jar)");
          return null;
        }
    }
  }

  /**
   * What caller {@code id}'s prompts start with; each call adds its number, so every prompt is new and the exact cache
   * misses, as it does for real traffic.
   */
  static String promptPrefix(int id) {
    return "Ticket " + id + "-" + System.nanoTime() + ": I was charged twice for my subscription this"
        + " month and the invoice shows the wrong plan. Please look into it. #";
  }

  /**
   * {@code callers} threads call as fast as they can for {@code seconds}; each thread uses its own prompts. The
   * result is labelled with {@code round}.
   */
  static Result run(ChatClient client, int callers, double seconds, int round) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong errors = new AtomicLong();
    LatencyHistogram[] latencies = new LatencyHistogram[callers];
    long[] threadCpu = new long[callers];
    long[] threadAlloc = new long[callers];
    CountDownLatch done = new CountDownLatch(callers);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      int id = t;
      threads.add(new Thread(() -> {
        LatencyHistogram mine = new LatencyHistogram();
        int n = 0;
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long allocStart = THREADS.getCurrentThreadAllocatedBytes();
        String prefix = promptPrefix(id);
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            client.complete(prefix + n);
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          mine.record(System.nanoTime() - t0);
          n++;
        }
        threadCpu[id] = THREADS.getCurrentThreadCpuTime() - cpuStart;
        threadAlloc[id] = THREADS.getCurrentThreadAllocatedBytes() - allocStart;
        latencies[id] = mine;
        done.countDown();
      }, "caller-" + t));
    }
    long cpu0 = OS.getProcessCpuTime();
    GcWatch gc = GcWatch.start();
    long started = System.nanoTime();
    threads.forEach(Thread::start);
    long switches0 = contextSwitches();
    Thread.sleep((long) (seconds * 1000));
    long switches = contextSwitches() - switches0;
    stop.set(true);
    done.await();
    long elapsed = System.nanoTime() - started;
    long cpu = OS.getProcessCpuTime() - cpu0;
    gc.stop();
    LatencyHistogram all = new LatencyHistogram();
    for (LatencyHistogram h : latencies) {
      all.add(h);
    }
    long total = all.total();
    return new Result(client.name(), callers, round, total / (elapsed / 1e9), all.percentile(0.50) / 1e3,
        all.percentile(0.99) / 1e3, errors.get(), total == 0 ? Double.NaN : cpu / 1e3 / total,
        Arrays.stream(threadCpu).sum() / 1e3 / total, Arrays.stream(threadAlloc).sum() / 1024.0 / total,
        (double) switches / total, gc.youngCollections(), gc.pauseMillis() / (elapsed / 1e9), gc.maxPauseMillis(),
        gc.promotedBytes() / 1024.0 / (elapsed / 1e9), gc.copiedBytesPerCollection() / 1024.0);
  }

  /**
   * One row per client and concurrency: medians over rounds, and the medians of per-round ratios to the baseline
   * (throughput and p99), each divided by the baseline's figure in the same round, never by its median over rounds:
   * the host drifts between rounds. The last column lists the throughput ratio of every round, in round order.
   */
  static String table(List<Result> results, String baseline, int[] callers, List<ChatClient> clients) {
    StringBuilder out = new StringBuilder();
    out.append("| callers | client | calls/s | x raw OkHttp | p50 us | p99 us | CPU us/call | errors"
        + " | young GC pauses ms/s | max pause ms | promoted KB/s | copied KB per young GC | p99 x raw's"
        + " | x raw OkHttp per round |\n");
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int c : callers) {
      for (ChatClient client : clients) {
        List<Double> ratios = new ArrayList<>();
        List<Double> p99Ratios = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        List<Double> gcRates = new ArrayList<>();
        List<Double> maxPauses = new ArrayList<>();
        List<Double> promoted = new ArrayList<>();
        List<Double> copied = new ArrayList<>();
        long errors = 0;
        for (Result r : results) {
          if (r.callers() != c || !r.client().equals(client.name())) {
            continue;
          }
          rates.add(r.callsPerSecond());
          p50s.add(r.p50Micros());
          p99s.add(r.p99Micros());
          cpus.add(r.cpuMicrosPerCall());
          gcRates.add(r.gcPauseMillisPerSecond());
          maxPauses.add(r.maxGcPauseMillis());
          promoted.add(r.promotedKbPerSecond());
          if (r.youngGcs() > 0) {
            copied.add(r.copiedKbPerGc());
          }
          errors += r.errors();
          for (Result b : results) {
            if (b.callers() == c && b.round() == r.round() && b.client().equals(baseline)) {
              ratios.add(r.callsPerSecond() / b.callsPerSecond());
              p99Ratios.add(r.p99Micros() / b.p99Micros());
            }
          }
        }
        StringBuilder perRound = new StringBuilder();
        for (double ratio : ratios) {
          perRound.append(perRound.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", ratio));
        }
        out.append(String.format(Locale.ROOT,
            "| %d | %s | %.0f | %.2f | %.1f | %.1f | %.1f | %d | %.1f | %.1f | %.0f | %.0f | %.2f | %s |%n",
            c, client.name(), median(rates), median(ratios), median(p50s), median(p99s), median(cpus), errors,
            median(gcRates), median(maxPauses), median(promoted), median(copied), median(p99Ratios), perRound));
      }
    }
    return out.toString();
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  private SideBySide() {}

}
