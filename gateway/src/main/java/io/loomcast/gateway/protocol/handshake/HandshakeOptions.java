package io.loomcast.gateway.protocol.handshake;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * How a handshake runs, on either side.
 *
 * @param timeout        total budget for {@link Handshake#server}/{@link Handshake#client}, from first read to
 *                       last; a peer that stalls or trickles bytes is cut off when it is spent
 * @param strictResponse fail when the peer's C2/S2 neither echoes nor signs ours ({@link ResponseCheck#MISMATCH});
 *                       off by default: librtmp-based servers are reported to send such an S2, and nothing
 *                       after the handshake depends on it
 * @param random         source of the random fields; the bytes are not secrets (plain RTMP has no
 *                       confidentiality), so a fast generator will do. Must be safe for the threads that share it
 * @param nanoClock      monotonic nanoseconds, as {@link System#nanoTime()}: measures the timeout and gives
 *                       the epoch we send in C1/S1
 */
public record HandshakeOptions(Duration timeout, boolean strictResponse, RandomGenerator random, LongSupplier nanoClock) {
    /** Long enough for a slow mobile link, short enough that a port scanner does not hold a thread for long. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public HandshakeOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout %s must be positive".formatted(timeout));
        }
    }

    /** Ten seconds, lenient about C2/S2, {@link ThreadLocalRandom} and {@link System#nanoTime()}. */
    public static HandshakeOptions defaults() {
        // Looks the generator up on every call, so one options value can serve every connection's thread.
        RandomGenerator perThread = () -> ThreadLocalRandom.current().nextLong();
        return new HandshakeOptions(DEFAULT_TIMEOUT, false, perThread, System::nanoTime);
    }

    public HandshakeOptions withTimeout(Duration newTimeout) {
        return new HandshakeOptions(newTimeout, strictResponse, random, nanoClock);
    }

    public HandshakeOptions withStrictResponse(boolean strict) {
        return new HandshakeOptions(timeout, strict, random, nanoClock);
    }

    public HandshakeOptions withRandom(RandomGenerator newRandom) {
        return new HandshakeOptions(timeout, strictResponse, newRandom, nanoClock);
    }

    public HandshakeOptions withNanoClock(LongSupplier newNanoClock) {
        return new HandshakeOptions(timeout, strictResponse, random, newNanoClock);
    }
}
