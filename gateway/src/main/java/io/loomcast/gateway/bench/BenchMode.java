package io.loomcast.gateway.bench;

/** What the simulated clients do. */
public enum BenchMode {
    /** N players of one stream, or of many with {@code {i}} in the URL. */
    PLAY,
    /** N publishers, each pacing an FLV file in real time. */
    PUBLISH,
    /** One publisher stamping its video frames, and N players measuring the end-to-end latency. */
    LATENCY;

    /** The name used on the command line and in the report. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
