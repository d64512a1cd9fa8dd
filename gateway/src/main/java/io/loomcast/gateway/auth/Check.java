package io.loomcast.gateway.auth;

/** One way a client can prove it may publish or play: a key, a signed URL, an HTTP callback. */
public interface Check {
    /** Judges {@code request}; may block (a callback), on the calling session's own virtual thread. */
    Verdict check(AuthRequest request);

    /** What one check says about one request. */
    sealed interface Verdict {
        /** The credential is good. */
        record Pass() implements Verdict {}

        /** Good, and the stream is to be called {@code name} (within its app). */
        record Rename(String name) implements Verdict {}

        /** The client offered nothing this check could judge (no {@code key} argument, say). */
        record Absent() implements Verdict {}

        /** The credential offered is bad. */
        record Fail(DenyReason reason, String description) implements Verdict {}

        Verdict PASS = new Pass();
        Verdict ABSENT = new Absent();
    }
}
