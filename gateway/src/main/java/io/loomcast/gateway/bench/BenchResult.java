package io.loomcast.gateway.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured, frozen when it ended: the input of the summary, the JSON and HTML reports.
 * Histograms hold microseconds, keyed by report name ({@code connect}, {@code ttff}, ...), only those the
 * mode measures.
 *
 * @param interrupted      stopped early (Ctrl-C), so the figures cover less than the asked duration
 * @param started          clients whose connection was attempted (fewer than asked if the ramp was cut)
 * @param connected        clients that reached NetStream.Play.Start or Publish.Start
 * @param bytesReceived    bytes players read, RTMP framing included
 * @param bytesSent        media payload bytes publishers sent
 * @param framesReceived   coded video frames players received
 * @param framesSent       coded video frames publishers sent
 * @param stallMs          the stalls' gaps, added up
 * @param stalledClients   players with at least one stall
 * @param withoutKeyframe  players that played but never received a keyframe
 * @param bitratesKbps     received bitrate of each player that streamed long enough, sorted
 * @param cpuNanos         CPU time this process used during the run
 * @param processors       processors this process may use (1 under {@code taskset -c 0})
 * @param switches         play2 switches, when the players switched ({@code --switch-every})
 */
public record BenchResult(
        BenchSettings settings,
        Instant startedAt,
        long durationMs,
        boolean interrupted,
        int started,
        int connected,
        int failed,
        Map<String, Long> failures,
        Map<String, String> failureExamples,
        long bytesReceived,
        long bytesSent,
        long framesReceived,
        long framesSent,
        long stalls,
        long stallMs,
        long stalledClients,
        long withoutKeyframe,
        Map<String, Histogram> histograms,
        double[] bitratesKbps,
        List<Sample> timeline,
        long cpuNanos,
        int processors,
        java.util.Optional<Switches> switches) {

    /** play2 switches over the run: asked for, completed with TransitionComplete, refused with an error status. */
    public record Switches(long requested, long completed, long refused) {}

    /** A run whose players did not switch. */
    public BenchResult(BenchSettings settings, Instant startedAt, long durationMs, boolean interrupted, int started,
            int connected, int failed, Map<String, Long> failures, Map<String, String> failureExamples,
            long bytesReceived, long bytesSent, long framesReceived, long framesSent, long stalls, long stallMs,
            long stalledClients, long withoutKeyframe, Map<String, Histogram> histograms, double[] bitratesKbps,
            List<Sample> timeline, long cpuNanos, int processors) {
        this(settings, startedAt, durationMs, interrupted, started, connected, failed, failures, failureExamples,
                bytesReceived, bytesSent, framesReceived, framesSent, stalls, stallMs, stalledClients, withoutKeyframe,
                histograms, bitratesKbps, timeline, cpuNanos, processors, java.util.Optional.empty());
    }

    /** This process's CPU over the run, in percent of one core. */
    public double cpuPercentOfOneCore() {
        return durationMs == 0 ? 0 : cpuNanos / 1e6 / durationMs * 100;
    }
}
