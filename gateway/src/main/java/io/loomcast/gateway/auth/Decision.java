package io.loomcast.gateway.auth;

/** The answer to one {@link AuthRequest}: allow it, refuse it with a reason, or allow it under another name. */
public sealed interface Decision {
    /** Go ahead. */
    record Allow() implements Decision {}

    /**
     * Refuse.
     *
     * @param reason      what is counted
     * @param description why, in words a client may see; never an argument's value
     */
    record Deny(DenyReason reason, String description) implements Decision {}

    /**
     * Go ahead as {@code app/name} instead (a callback's redirect, as nginx-rtmp does).
     *
     * @param name the new name within the same app, checked to be a plain stream name
     */
    record Rename(String name) implements Decision {}

    Decision ALLOW = new Allow();
}
