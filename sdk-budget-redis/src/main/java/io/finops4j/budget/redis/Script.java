package io.finops4j.budget.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Lua scripts of the store, each run as one atomic EVALSHA (EVAL when Redis lost its script cache): one per step
 * of one call, and {@link #BATCH}, which runs several calls' steps in one script (see {@link ScriptBatcher}).
 */
enum Script {
  RESERVE("reserve.lua", "r"),
  SETTLE("settle.lua", "s"),
  RELEASE("release.lua", "x"),
  /** batch.lua after the three scripts above, each wrapped as a function of its own KEYS and ARGV. */
  BATCH("batch.lua", "-", "reserve.lua", "settle.lua", "release.lua");

  final String text;
  final String sha;
  /** How {@link #BATCH} names this script in its arguments. */
  final String code;

  Script(String resource, String code, String... functions) {
    StringBuilder s = new StringBuilder();
    for (String f : functions) {
      // the script's own body, verbatim: its KEYS and ARGV are the function's parameters, its return the function's
      s.append("local function ").append(f, 0, f.indexOf('.')).append("(KEYS, ARGV)\n").append(read(f))
          .append("\nend\n");
    }
    text = s.append(read(resource)).toString();
    sha = sha1(text);
    this.code = code;
  }

  private static String read(String resource) {
    try (InputStream in = Script.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(40);
      for (byte b : d) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
