package io.loomcast.gateway.auth;

/** What a client asks to do with a stream; the {@link #wireName()} is what the callback's {@code call} field says. */
public enum Action {
    PUBLISH("publish"),
    PLAY("play");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** {@code publish} or {@code play}, as nginx-rtmp's callbacks name them. */
    public String wireName() {
        return wireName;
    }
}
