package io.finops4j.core;

import io.finops4j.api.ModelId;
import io.finops4j.api.ModelPrice;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where finops4j's price table and another price map disagree: every model both have whose rates differ (one line
 * per differing rate), and the models only one of them has. A model the map names by a dated id our table prices
 * from its base entry counts as present in both.
 *
 * <p>Run as {@code java -cp ... io.finops4j.core.PriceDiff --litellm model_prices_and_context_window.json}; exit
 * code 0 when they agree, 1 when they differ, 2 on bad arguments.
 */
public final class PriceDiff {

  private PriceDiff() {}

  /** The differences between {@code ours} and {@code theirs} (named {@code theirName}), sorted by model. */
  static List<String> diff(PriceCatalog ours, Map<ModelId, ModelPrice> theirs, String theirName) {
    List<String> lines = new ArrayList<>();
    Map<String, ModelPrice> sorted = new TreeMap<>();
    theirs.forEach((id, p) -> sorted.put(id.toString(), p));
    sorted.forEach((id, their) -> {
      ModelPrice our = ours.find(ModelId.parse(id)).orElse(null);
      if (our == null) {
        lines.add("only in " + theirName + ": " + id);
        return;
      }
      compare(lines, id, "input", our, their, ModelPrice::input, theirName);
      compare(lines, id, "cached-input", our, their, p -> p.cachedInput() == null ? null : p.cachedInputRate(), theirName);
      compare(lines, id, "cache-write", our, their, p -> p.cacheWrite() == null ? null : p.cacheWriteRate(), theirName);
      compare(lines, id, "cache-write-1h", our, their, ModelPrice::cacheWrite1h, theirName);
      compare(lines, id, "output", our, their, ModelPrice::output, theirName);
      compare(lines, id, "batch-discount", our, their, ModelPrice::batchDiscount, theirName);
      if (our.longContextThreshold() != their.longContextThreshold()) {
        lines.add("differs " + id + ": long-context-threshold " + our.longContextThreshold() + " (finops4j) vs "
            + their.longContextThreshold() + " (" + theirName + ")");
      } else if (our.longContext() != null) {
        compare(lines, id, "long-context.input", our.longContext(), their.longContext(), ModelPrice::input, theirName);
        compare(lines, id, "long-context.output", our.longContext(), their.longContext(), ModelPrice::output, theirName);
      }
      if (our.maxOutputTokens() > 0 && their.maxOutputTokens() > 0 && our.maxOutputTokens() != their.maxOutputTokens()) {
        lines.add("differs " + id + ": max-output-tokens " + our.maxOutputTokens() + " (finops4j) vs "
            + their.maxOutputTokens() + " (" + theirName + ")");
      }
    });
    Map<String, ModelId> present = new TreeMap<>();
    theirs.keySet().forEach(id -> present.put(ours.baseModel(id).toString(), id));
    ours.all().keySet().forEach(id -> {
      if (!present.containsKey(id.toString()) && !theirs.containsKey(id)) {
        lines.add("only in finops4j: " + id);
      }
    });
    return lines;
  }

  /** A rate both give that differs; a rate {@code theirs} does not give is not a difference. */
  private static void compare(List<String> lines, String id, String key, ModelPrice our, ModelPrice their,
      Function<ModelPrice, BigDecimal> rate, String theirName) {
    BigDecimal a = rate.apply(our);
    BigDecimal b = their == null ? null : rate.apply(their);
    if (b != null && (a == null || a.compareTo(b) != 0)) {
      lines.add("differs " + id + ": " + key + " " + (a == null ? "none" : a.toPlainString()) + " (finops4j) vs "
          + b.toPlainString() + " (" + theirName + ")");
    }
  }

  /** {@code PriceDiff --litellm FILE}: prints the differences with the bundled table. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * The differences between the bundled table and a LiteLLM {@code model_prices_and_context_window.json} file,
   * one line each ({@code differs ...}, {@code only in litellm: ...}, {@code only in finops4j: ...}); empty when
   * they agree.
   */
  public static List<String> againstLiteLlm(Path file) {
    return diff(PriceCatalog.bundled(), LiteLlmPriceMap.read(file), "litellm");
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !Objects.equals(args[0], "--litellm")) {
      err.println("usage: PriceDiff --litellm model_prices_and_context_window.json");
      return 2;
    }
    List<String> lines = againstLiteLlm(Path.of(args[1]));
    lines.forEach(out::println);
    return lines.isEmpty() ? 0 : 1;
  }
}
