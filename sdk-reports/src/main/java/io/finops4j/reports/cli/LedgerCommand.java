package io.finops4j.reports.cli;

import io.finops4j.reports.LedgerCompaction;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finops4j ledger}: upkeep of a file ledger. */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Upkeep of a file ledger.",
    subcommands = {LedgerCommand.Compact.class})
final class LedgerCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: compact");
  }

  /** {@code finops4j ledger compact FILE... --to DIR}. */
  @Command(name = "compact", mixinStandardHelpOptions = true,
      description = {"Compacts closed JSONL ledger files (earlier days' rotated files) to Parquet, one file each,",
          "then deletes them (--keep to keep them). Reports read a directory of both formats, Parquet",
          "first: a JSONL file whose Parquet twin exists is skipped, so no row counts twice."})
  static final class Compact implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Closed JSONL ledger files.")
    List<Path> files;

    @Option(names = "--to", required = true, paramLabel = "DIR",
        description = "Where the Parquet files go (the ledger's own directory, to report on both together).")
    Path dir;

    @Option(names = "--keep", description = "Keep the JSONL files.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      for (Path file : files) {
        long before = Files.size(file);
        Path parquet = LedgerCompaction.compact(List.of(file), dir, keep).get(0);
        out.printf("%s (%,d bytes) -> %s (%,d bytes)%n", file, before, parquet, Files.size(parquet));
        out.flush();
      }
      return Finops4jCli.OK;
    }
  }
}
