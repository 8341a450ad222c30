package io.finops4j.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.finops4j.api.ConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML document into plain maps, lists and scalars, remembering the line and column of every key path (so
 * a bad value can be pointed at) and rejecting a key written twice in one map (YAML keeps the last one silently).
 * A syntax error names its line, column and problem, but never quotes the document: the line may hold a key.
 */
final class YamlTree {

  private static final YAMLFactory FACTORY = new YAMLFactory();

  /** A key whose value must not be echoed: api-key, token, secret, password, ... */
  private static final Pattern SECRET_ENTRY = Pattern.compile(
      "(?i)^[\\s{,\\-]*[\"']?[\\w.\\-]*(key|token|secret|password|credential)[\\w.\\-]*[\"']?\\s*:(.*)$");

  /** The tree; {@code null} for an empty document. */
  final Object root;
  /** Key path ({@code finops4j.budgets[0].limit}) to {@code "line L, column C"}. */
  final Map<String, String> where = new HashMap<>();

  private final String source;

  private YamlTree(String text, String source) {
    this.source = source;
    Object r;
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      r = t == null ? null : value(p, "");
    } catch (JsonProcessingException e) {
      throw new ConfigException(null, source + ": not valid YAML" + at(e.getLocation()) + ": "
          + scrub(problem(e), text));
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read " + source + ": " + e.getClass().getSimpleName());
    }
    this.root = r;
  }

  /** Parses {@code text}; {@code source} names it in messages. */
  static YamlTree parse(String text, String source) {
    return new YamlTree(text, source);
  }

  private Object value(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        return map(p, path);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String item = path + "[" + i++ + "]";
          where.put(item, lineColumn(p.currentTokenLocation()));
          list.add(value(p, item));
        }
        return list;
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
      case VALUE_FALSE:
        return p.getBooleanValue();
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getText(); // as written: 1e20 stays 1e20 (in messages too), read exactly as a BigDecimal
      default:
        return p.getText();
    }
  }

  private Map<String, Object> map(JsonParser p, String path) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    Map<String, String> keyAt = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      String child = path.isEmpty() ? key : path + "." + key;
      String at = lineColumn(p.currentTokenLocation());
      String first = keyAt.putIfAbsent(key, at);
      if (first != null) {
        throw new ConfigException(child, "duplicate key: first at " + first + ", again at " + at
            + "; YAML would keep only the last one, so merge them (in " + source + ")");
      }
      where.put(child, at);
      p.nextToken();
      map.put(key, value(p, child));
    }
    return map;
  }

  private static String lineColumn(JsonLocation l) {
    return "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static String at(JsonLocation l) {
    return l == null || l.getLineNr() < 1 ? "" : " at " + lineColumn(l);
  }

  /**
   * What the parser said, without the excerpt of the document it quotes. SnakeYAML's messages are a context line
   * and a problem line, each followed by indented lines: its mark, the quoted line and a caret.
   */
  private static String problem(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    StringBuilder s = new StringBuilder();
    for (String line : m.split("\r?\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        s.append(s.length() == 0 ? "" : "; ").append(line.trim());
      }
    }
    return s.toString();
  }

  /** Replaces in {@code message} every value the document gives a secret-looking key. */
  static String scrub(String message, String text) {
    Set<String> secrets = new LinkedHashSet<>();
    for (String line : text.split("\r?\n|\r")) {
      Matcher m = SECRET_ENTRY.matcher(line);
      if (m.matches()) {
        for (String part : m.group(2).split("[\\s,{}\\[\\]\"':]+")) {
          if (part.length() >= 3) {
            secrets.add(part);
          }
        }
      }
    }
    String s = message;
    for (String secret : secrets) {
      s = s.replace(secret, "***");
    }
    return s;
  }
}
