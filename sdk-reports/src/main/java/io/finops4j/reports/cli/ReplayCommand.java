package io.finops4j.reports.cli;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import io.finops4j.api.spi.CallRecord;
import io.finops4j.reports.PriceFile;
import io.finops4j.reports.Replay;
import io.finops4j.reports.ReplayReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code finops4j replay}. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"What-if: the period re-priced under another price list or model.",
        "Re-price the period under another price list, or (with --model) as if calls had gone to another model,",
        "per feature, with the difference.",
        "Example: replay --ledger l.jsonl --prices p.json --feature support-reply --model anthropic/claude-haiku-4-5"})
final class ReplayCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--prices", paramLabel = "FILE", required = true,
      description = "Price list, JSON keyed by provider/model (USD per 1M tokens).")
  Path prices;

  @Option(names = "--model", paramLabel = "PROVIDER/MODEL",
      description = "Substitute this model (its price comes from --prices).")
  String model;

  @Option(names = "--feature", paramLabel = "NAME",
      description = "With --model: substitute only this feature's calls (default: every feature).")
  String feature;

  @Override
  public Integer call() throws Exception {
    if (feature != null && model == null) {
      throw new ParameterException(common.spec.commandLine(), "--feature needs --model (the model to substitute)");
    }
    ModelId target = null;
    if (model != null) {
      try {
        target = ModelId.parse(model);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(common.spec.commandLine(), "--model: " + e.getMessage());
      }
    }
    Map<ModelId, ModelPrice> list = PriceFile.read(prices);
    ReplayReport r;
    try (Stream<CallRecord> rows = common.rows()) {
      if (target == null) {
        r = Replay.reprice(rows::iterator, common.period(), list);
      } else {
        ModelPrice price = list.get(target);
        if (price == null) {
          throw new ParameterException(common.spec.commandLine(), "--model " + target + " has no price in " + prices
              + "; add an entry \"" + target + "\": {\"input\": .., \"output\": ..}");
        }
        r = Replay.substitute(rows::iterator, common.period(), feature, target, price);
      }
    }
    common.print(r);
    return 0;
  }
}
