package io.loomcast.gateway.routing;

/** Where a pull or push is in its life, as the API and the logs show it. */
public enum RelayState {
    /** Waiting: for the source to go live (push), or for a player (on-demand pull). */
    IDLE,
    CONNECTING,
    LIVE,
    /**
     * The destination stopped answering: a write made no progress for the write timeout, or the TCP connect,
     * the TLS or RTMP handshake or the answer to a command did not come in time. Shown while waiting to retry;
     * {@link RelayStatus#lastError()} says which. A destination that refuses or resets is {@link #BACKOFF}.
     */
    STALLED,
    /** Waiting to reconnect after a failure. */
    BACKOFF,
    /** Gave up after the policy's maximum attempts. */
    FAILED,
    STOPPED
}
