package io.finops4j.reports.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code finops4j report}: showback. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Showback: who and what the money was spent on.",
        "Cost, calls and tokens by customer, feature, model and tier with week-over-week change; top workflows,",
        "tier mix, tokens per request p50/p95/p99, cache hit ratio and savings, agent loop length and its tail.",
        "--format html writes one self-contained page with charts."})
final class ReportCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--top", paramLabel = "N", defaultValue = "20",
      description = "Workflows listed in the top and tail tables (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() throws Exception {
    common.print(common.showback(top));
    return 0;
  }
}
