package io.finops4j.benchmarks.loopback;

import io.finops4j.benchmarks.LedgerBenchmark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One client's calls to the loopback server on one thread, in windows a driver counts from outside: for valgrind's
 * callgrind, whose instruction and simulated cache-miss counts do not move with the host's load the way time does
 * (a loopback pair on this shared 2-core VM moves by more than the 0.90x target's margin; see
 * benchmarks/notes/side-by-side.md). Warms the client up, then for each window prints {@code READY} on stdout, waits
 * for a line on stdin (the driver zeroes the counters), makes {@code calls} calls, prints {@code DONE} and waits for
 * another line (the driver dumps the counters). Every thread of the process counts, the loopback server's too, which
 * does the same work for every client, so differences between clients are theirs.
 *
 * <pre>
 * benchmarks/callgrind-calls --calls 1000 --windows 2 raw-untimed finops4j-second-request   # the driver
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.loopback.CountedCalls CLIENT WARM CALLS WINDOWS
 * </pre>
 */
public final class CountedCalls {

  private CountedCalls() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int warm = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    int windows = Integer.parseInt(args[3]);
    BufferedReader driver = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Path ledgerDir = Files.createTempDirectory("finops4j-counted");
    try (LoopbackServer server = LoopbackServer.start();
        ChatClient client = SideBySide.create(name, server.baseUrl(), ledgerDir)) {
      String prefix = SideBySide.promptPrefix(0); // SideBySide's prompts: every call a new one
      int n = 0;
      for (int i = 0; i < warm; i++) {
        client.complete(prefix + n++);
      }
      for (int w = 0; w < windows; w++) {
        System.out.println("READY");
        System.out.flush();
        driver.readLine();
        for (int i = 0; i < calls; i++) {
          client.complete(prefix + n++);
        }
        System.out.println("DONE");
        System.out.flush();
        driver.readLine();
      }
    } finally {
      LedgerBenchmark.delete(ledgerDir);
    }
  }
}
