package io.loomcast.gateway.bench;

/**
 * The Start argument of the play command (RTMP 7.2.2.1): what a player asks the origin for. The names are
 * ffmpeg's ({@code -rtmp_live any|live|recorded}), so a user can compare like with like.
 */
public enum PlayStart {
    /** -2: the live stream if there is one, else the recorded one. ffmpeg's default. */
    ANY(-2),
    /** -1: only a live stream. */
    LIVE(-1),
    /** 0: only a recorded stream, from its beginning. */
    RECORDED(0);

    private final double argument;

    PlayStart(double argument) {
        this.argument = argument;
    }

    /** The number sent as play's Start argument. */
    public double argument() {
        return argument;
    }
}
