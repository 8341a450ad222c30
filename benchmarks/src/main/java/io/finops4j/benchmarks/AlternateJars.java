package io.finops4j.benchmarks;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Two builds of the same code in one JVM: each benchmarks jar in a class loader of its own, a loop of each run in
 * turns, the second's time over the first's per turn. Where two JVMs one after the other differ by as much as the
 * host drifts, turns a second apart in one process see the same host; a jar against itself gives the noise floor.
 * The loop is a class present in both jars with {@code public static long loop(int n)} returning CPU nanoseconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.finops4j.benchmarks.AlternateJars \
 *     before.jar after.jar io.finops4j.providers.CompletionReadLoop 60
 * </pre>
 */
public final class AlternateJars {

  private static final int PER_TURN = 20_000;

  private AlternateJars() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: AlternateJars <first.jar> <second.jar> <loop class> <turns>");
      System.exit(2);
    }
    Method first = loop(Path.of(args[0]), args[2]);
    Method second = loop(Path.of(args[1]), args[2]);
    int turns = Integer.parseInt(args[3]);
    for (int i = 0; i < 30; i++) { // warm both before any turn counts
      first.invoke(null, PER_TURN);
      second.invoke(null, PER_TURN);
    }
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    for (int t = 0; t < turns; t++) {
      // which goes first alternates, so neither always runs right after a collection the other caused
      boolean firstFirst = t % 2 == 0;
      double x = nanosPerOp(firstFirst ? first : second);
      double y = nanosPerOp(firstFirst ? second : first);
      double ta = firstFirst ? x : y;
      double tb = firstFirst ? y : x;
      a.add(ta);
      b.add(tb);
      ratio.add(tb / ta);
    }
    System.out.printf("first %s, second %s, %s x %d turns of %d:%n", args[0], args[1], args[2], turns, PER_TURN);
    System.out.printf("  first  %s ns per op%n  second %s ns per op%n  second / first %s (median, middle half)%n",
        quartiles(a, "%.0f"), quartiles(b, "%.0f"), quartiles(ratio, "%.3f"));
  }

  private static Method loop(Path jar, String className) throws Exception {
    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    return loader.loadClass(className).getMethod("loop", int.class);
  }

  private static double nanosPerOp(Method loop) throws Exception {
    return (long) loop.invoke(null, PER_TURN) / (double) PER_TURN;
  }

  private static String quartiles(List<Double> values, String format) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return String.format(format + " (" + format + "-" + format + ")", v.get(n / 2), v.get(n / 4), v.get(3 * n / 4));
  }
}
