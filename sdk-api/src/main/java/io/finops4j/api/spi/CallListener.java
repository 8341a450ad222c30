package io.finops4j.api.spi;

/**
 * Receives one {@link CallRecord} per facade call, successes, cache hits and rejections alike: the ledger and
 * metrics hang off this. Called on the caller's thread after the call: implementations must not block (enqueue
 * and return) and must not throw. The simple form of a {@link CallEventListener} (see
 * {@link CallEventListener#of(CallListener)}), which also sees each step of a call.
 */
@FunctionalInterface
public interface CallListener {

  void onCall(CallRecord record);
}
