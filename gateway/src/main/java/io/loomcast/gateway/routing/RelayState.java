package io.loomcast.gateway.routing;

/** Where a pull or push is in its life, as the API and the logs show it. */
public enum RelayState {
    /** Waiting: for the source to go live (push), or for a player (on-demand pull). */
    IDLE,
    CONNECTING,
    LIVE,
    /** Connected but the peer stopped taking data: a write made no progress for the write timeout. */
    STALLED,
    /** Waiting to reconnect after a failure. */
    BACKOFF,
    /** Gave up after the policy's maximum attempts. */
    FAILED,
    STOPPED
}
