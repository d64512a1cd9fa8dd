package io.loomcast.gateway.bench;

import io.loomcast.gateway.session.ClientOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark run, as the command line asked for it.
 *
 * @param mode           what the clients do
 * @param url            the origin URL, {@code {i}} expanded per client
 * @param clients        players (play, latency) or publishers (publish)
 * @param rampPerSecond  clients started per second; 0 starts them all at once
 * @param duration       the whole run, ramp included; clients still connected then are closed
 * @param clientOptions  connect, handshake and response timeouts, and the chunk size and window the clients
 *                       announce; its read timeout is not used (see {@code idleTimeout})
 * @param playStart      play's Start argument
 * @param stallThreshold a gap between media messages longer than this is a stall
 * @param idleTimeout    a client that makes no progress this long fails as idle; 0 never
 * @param readInterval   players woken by data wait for a tick of this period before reading on; 0 reads at
 *                       once. Arrival times then have this resolution, and jitter is not measured.
 * @param media          the FLV file publishers send (publish, latency); empty for a run read back from its
 *                       reports by {@code bench merge}
 * @param loop           whether publishers loop the file (latency mode always does)
 * @param switching      play mode: each player switches back and forth between its stream and another with
 *                       play2, this often
 */
public record BenchSettings(
        BenchMode mode,
        UrlTemplate url,
        int clients,
        double rampPerSecond,
        Duration duration,
        ClientOptions clientOptions,
        PlayStart playStart,
        Duration stallThreshold,
        Duration idleTimeout,
        Duration readInterval,
        Optional<MediaFile> media,
        boolean loop,
        Optional<Switching> switching) {

    /**
     * {@code --switch-every TIME --switch-to NAME}: every {@code every}, each player asks with play2 to switch
     * from the stream it plays to the other of its own and {@code to} (another bitrate of the content, such as
     * a rendition {@code name@PROFILE}).
     */
    public record Switching(Duration every, String to) {
        public Switching {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("--switch-every must be positive");
            }
            if (to.isBlank()) {
                throw new IllegalArgumentException("--switch-to needs a stream name");
            }
        }
    }

    /** A run without play2 switching. */
    public BenchSettings(BenchMode mode, UrlTemplate url, int clients, double rampPerSecond, Duration duration,
            ClientOptions clientOptions, PlayStart playStart, Duration stallThreshold, Duration idleTimeout,
            Duration readInterval, Optional<MediaFile> media, boolean loop) {
        this(mode, url, clients, rampPerSecond, duration, clientOptions, playStart, stallThreshold, idleTimeout,
                readInterval, media, loop, Optional.empty());
    }

    /** A player that streamed for less than this gets no bitrate: too short a window to mean anything. */
    public static final Duration MIN_BITRATE_WINDOW = Duration.ofSeconds(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern RAMP = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,3})?)(?:/s)?");

    public BenchSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(url, "url");
        if (clients < 1) {
            throw new IllegalArgumentException("need at least 1 client, got " + clients);
        }
        if (!(rampPerSecond >= 0)) {
            throw new IllegalArgumentException("ramp must be 0 (all at once) or a positive rate");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (stallThreshold.isNegative() || stallThreshold.isZero()) {
            throw new IllegalArgumentException("stall threshold must be positive");
        }
        if (idleTimeout.isNegative() || readInterval.isNegative()) {
            throw new IllegalArgumentException("idle timeout and read interval must be 0 or positive");
        }
        if (mode == BenchMode.LATENCY && !readInterval.isZero()) {
            throw new IllegalArgumentException("latency mode reads at once: --read-interval would add up to its"
                    + " length to every latency");
        }
        if (mode != BenchMode.PLAY && switching.isPresent()) {
            throw new IllegalArgumentException("--switch-every and --switch-to are for play mode");
        }
        // No media is a run read back from its reports (bench merge); the command line requires --file to run one.
        if (mode == BenchMode.LATENCY && media.isPresent() && !media.orElseThrow().stampable()) {
            throw new IllegalArgumentException("latency mode stamps H.264 frames; " + media.orElseThrow().path()
                    + " has no H.264 video in 4-byte-length NAL units");
        }
    }

    /** Publishers: the clients in publish mode, the one stamping publisher in latency mode. */
    public int publishers() {
        return switch (mode) {
            case PLAY -> 0;
            case PUBLISH -> clients;
            case LATENCY -> 1;
        };
    }

    /** Players: the clients in play and latency mode. */
    public int players() {
        return mode == BenchMode.PUBLISH ? 0 : clients;
    }

    /** {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}: a whole number and a unit. */
    public static Duration parseDuration(String text) {
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like 500ms, 60s, 5m or 1h, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** {@code 100/s} or {@code 100}: clients started per second; {@code 0} means all at once. */
    public static double parseRamp(String text) {
        Matcher m = RAMP.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a ramp like 100/s, or 0 for all at once, got \"" + text + "\"");
        }
        return Double.parseDouble(m.group(1));
    }
}
