package io.finops4j.reports.cli;

import io.finops4j.api.ConfigException;
import io.finops4j.core.PriceDiff;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code finops4j prices}: the bundled price table against other price maps. */
@Command(name = "prices", mixinStandardHelpOptions = true,
    description = "The bundled price table against another price map.",
    subcommands = {PricesCommand.Diff.class})
final class PricesCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: diff");
  }

  /** {@code finops4j prices diff --litellm FILE}. */
  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = {"Every model whose rates differ between the bundled table and LiteLLM's price map, and the "
          + "models only one of them has.", "Exit code 1 when they differ."})
  static final class Diff implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--litellm", required = true, paramLabel = "FILE",
        description = "LiteLLM's model_prices_and_context_window.json.")
    Path litellm;

    @Override
    public Integer call() {
      List<String> lines;
      try {
        lines = PriceDiff.againstLiteLlm(litellm);
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("finops4j: " + e.getMessage());
        return Finops4jCli.INPUT;
      }
      PrintWriter out = spec.commandLine().getOut();
      lines.forEach(out::println);
      out.flush();
      return lines.isEmpty() ? Finops4jCli.OK : Finops4jCli.FINDINGS;
    }
  }
}
