package io.finops4j.benchmarks.loopback;

/**
 * One way to make a chat call to the loopback server: raw OkHttp, finops4j, or a framework's OpenAI client. Every
 * implementation sends the same system and user text and returns the answer's text.
 */
public interface ChatClient extends AutoCloseable {

  /** The system prompt every client sends. */
  String SYSTEM = "Classify the support ticket into one of: billing, bug, how-to, other. Answer with one word.";

  /** The name in the results table. */
  String name();

  /** One blocking chat call; returns the answer's text. */
  String complete(String user) throws Exception;

  @Override
  default void close() throws Exception {}
}
