package io.finops4j.core;

import io.finops4j.api.ConfigException;
import io.finops4j.api.spi.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML configuration into the plain tree every module parses its section from, and resolves
 * {@code ${NAME}} and {@code ${NAME:default}} placeholders from the environment (then system properties).
 * An unset placeholder without a default fails with the key path that used it.
 */
public final class ConfigLoader {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");
  /**
   * An unquoted placeholder used as a whole value ({@code { api-key: ${OPENAI_API_KEY} }}) is not valid YAML
   * in flow style, yet it is how everyone writes it: quote it before parsing.
   */
  private static final Pattern BARE_PLACEHOLDER = Pattern.compile("(?<=[:\\[,]\\s)(\\$\\{[^}\\s\"']*})(?=\\s*[,}\\]\\n\\r#]|\\s*$)");

  private ConfigLoader() {}

  /** Loads {@code file} and returns its {@code finops4j} node. */
  public static ConfigNode load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString(), ConfigLoader::lookup);
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Loads YAML from {@code in}; {@code source} names it in error messages. */
  public static ConfigNode load(InputStream in, String source) {
    return load(in, source, ConfigLoader::lookup);
  }

  /** As {@link #load(InputStream, String)}, resolving placeholders with {@code env} (for tests). */
  public static ConfigNode load(InputStream in, String source, UnaryOperator<String> env) {
    String text;
    try {
      text = BARE_PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8)).replaceAll("\"$1\"");
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read " + source + ": " + e.getMessage(), e);
    }
    YamlTree tree = YamlTree.parse(text, source);
    if (!(tree.root instanceof Map<?, ?> doc) || !doc.containsKey("finops4j")) {
      throw new ConfigException("finops4j", "the top-level key 'finops4j:' is missing (in " + source + ")");
    }
    Object resolved = resolve(doc.get("finops4j"), "finops4j", source, env);
    return ConfigNode.root(source, "finops4j", resolved == null ? Map.of() : resolved, tree.where);
  }

  /** Wraps an already-parsed tree (Spring's bound properties, or a map built in code). */
  public static ConfigNode of(Map<String, Object> finops4j, String source) {
    return ConfigNode.root(source, "finops4j", resolve(finops4j, "finops4j", source, ConfigLoader::lookup));
  }

  private static Object resolve(Object node, String path, String source, UnaryOperator<String> env) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        out.put(key, resolve(e.getValue(), path + "." + key, source, env));
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(resolve(list.get(i), path + "[" + i + "]", source, env));
      }
      return out;
    }
    if (node instanceof String s && s.contains("${")) {
      Matcher m = PLACEHOLDER.matcher(s);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = env.apply(m.group(1));
        if (value == null) {
          value = m.group(2);
        }
        if (value == null) {
          throw new ConfigException(path, "environment variable " + m.group(1) + " is not set (write ${"
              + m.group(1) + ":default} to give a default) (in " + source + ")");
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      return sb.toString();
    }
    return node;
  }

  private static String lookup(String name) {
    String v = System.getenv(name);
    return v != null ? v : System.getProperty(name);
  }
}
