package io.finops4j.reports.cli;

import io.finops4j.reports.LedgerFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code finops4j} command line: {@code report}, {@code anomalies}, {@code forecast}, {@code replay},
 * {@code reconcile}, {@code prices diff}, {@code ledger compact}. Exit codes: 0 ok; 1 findings ({@code anomalies --fail-on-anomaly},
 * {@code reconcile --fail-on-drift}); 2 usage error; 3 input error (a file missing or malformed, named with its
 * line); 4 internal error.
 */
@Command(name = "finops4j", mixinStandardHelpOptions = true, version = "finops4j reports 0.1.0",
    description = "FinOps reports over a finops4j ledger.",
    subcommands = {ReportCommand.class, AnomaliesCommand.class, ForecastCommand.class, ReplayCommand.class,
        ReconcileCommand.class, PricesCommand.class, LedgerCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:findings (anomalies --fail-on-anomaly, reconcile --fail-on-drift, prices diff)",
        "2:usage error (bad or missing option)", "3:input error (ledger, export or price file missing or malformed)",
        "4:internal error (a bug; stack trace printed)"})
public final class Finops4jCli implements Runnable {

  /** Success. */
  public static final int OK = 0;
  /** Findings, when the command was asked to fail on them. */
  public static final int FINDINGS = 1;
  /** Bad or missing options. */
  public static final int USAGE = 2;
  /** An input file is missing or malformed. */
  public static final int INPUT = 3;
  /** An unexpected internal error (a bug): the stack trace is printed. */
  public static final int INTERNAL = 4;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: report, anomalies, forecast, replay, reconcile, prices or ledger");
  }

  /** A configured command line; run it with {@code execute(args)} (tests capture its output with setOut/setErr). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Finops4jCli());
    // picocli asks this for parse errors too; anything else reaching it is a bug, not a finding (1) or bad
    // input (3).
    cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : INTERNAL);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CommandLine.ParameterException pe) {
        // Option checks that need more than one option run inside the command; report them like parse errors.
        return commandLine.getParameterExceptionHandler().handleParseException(pe,
            parseResult.originalArgs().toArray(new String[0]));
      }
      if (e instanceof LedgerFormatException || e instanceof IOException || e instanceof UncheckedIOException) {
        commandLine.getErr().println("finops4j: " + e.getMessage());
        commandLine.getErr().flush();
        return INPUT;
      }
      throw e;
    });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
