package io.loomcast.gateway.bench;

/**
 * One point of the run's time series, taken once per second; also what the progress line shows.
 *
 * @param elapsedSeconds since the run started
 * @param active         clients playing or publishing right now
 * @param target         clients asked for
 * @param failed         clients failed so far
 * @param mbpsIn         received over the last interval, megabits per second
 * @param mbpsOut        sent over the last interval (payload), megabits per second
 * @param ttffP50Ms      time to first frame so far, median; NaN before the first
 * @param ttffP99Ms      time to first frame so far, 99th percentile; NaN before the first
 * @param stalls         stalls so far
 * @param cpuPercent     this process's CPU over the last interval, in percent of one core
 */
public record Sample(double elapsedSeconds, int active, int target, int failed, double mbpsIn, double mbpsOut,
                     double ttffP50Ms, double ttffP99Ms, long stalls, double cpuPercent) {

    /** The progress line. */
    public String line() {
        return "%6.1fs  connected %d/%d  failed %d  in %.1f Mbps  out %.1f Mbps  ttff p50 %s p99 %s  stalls %d  cpu %.0f%%"
                .formatted(elapsedSeconds, active, target, failed, mbpsIn, mbpsOut, ms(ttffP50Ms), ms(ttffP99Ms),
                        stalls, cpuPercent);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : "%.0f ms".formatted(v);
    }
}
