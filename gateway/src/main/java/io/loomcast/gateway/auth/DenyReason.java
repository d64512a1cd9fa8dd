package io.loomcast.gateway.auth;

/** Why a publish or play was refused, as counted; {@link #label()} is the metrics label. */
public enum DenyReason {
    /** The rule asks for a credential and the client gave none. */
    NO_CREDENTIALS("no_credentials"),
    /** A {@code key} was given and matches none of the rule's keys. */
    WRONG_KEY("wrong_key"),
    /** {@code expires}/{@code sig} were given but do not sign this stream with the rule's secret. */
    BAD_SIGNATURE("bad_signature"),
    /** A valid signature whose {@code expires} has passed. */
    SIGNATURE_EXPIRED("signature_expired"),
    /** The callback answered, with something other than 2xx or a usable 3xx. */
    CALLBACK_REFUSED("callback_refused"),
    /** The callback did not answer in time, or could not be reached: refused, since we fail closed. */
    CALLBACK_FAILED("callback_failed");

    private final String label;

    DenyReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
