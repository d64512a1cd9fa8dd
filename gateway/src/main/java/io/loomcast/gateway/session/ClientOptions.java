package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How an {@link RtmpClient} connects: timeouts, what it announces, and TLS trust.
 *
 * @param connectTimeout     TCP (and TLS) connect
 * @param handshakeTimeout   the RTMP handshake, whole
 * @param responseTimeout    each command's answer (connect, createStream, publish, play)
 * @param readTimeout        a read that gets nothing this long fails (a dead upstream); 0 waits forever
 * @param chunkSizeBytes     the chunk size we send, announced with Set Chunk Size after connect
 * @param windowAckSizeBytes the acknowledgement window we announce
 * @param peerBandwidthBytes the Set Peer Bandwidth we send after connect (dynamic); 0 sends none
 * @param digestHandshake    offer a Flash Player 9 digest handshake (as ffmpeg does) instead of a simple one
 * @param flashVer           what connect says we are
 * @param caFile             PEM certificates to trust for rtmps instead of the system store (tests, private CAs)
 * @param chunkLimits        limits on what the server may make us hold
 */
public record ClientOptions(
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration responseTimeout,
        Duration readTimeout,
        int chunkSizeBytes,
        int windowAckSizeBytes,
        int peerBandwidthBytes,
        boolean digestHandshake,
        String flashVer,
        Optional<Path> caFile,
        ChunkLimits chunkLimits) {

    public static final ClientOptions DEFAULT = new ClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(15), 4096, 2_500_000, 0, true, "FMLE/3.0 (compatible; Loomcast)",
            Optional.empty(), ChunkLimits.DEFAULT);

    public ClientOptions withChunkSize(int bytes) {
        return new ClientOptions(connectTimeout, handshakeTimeout, responseTimeout, readTimeout, bytes,
                windowAckSizeBytes, peerBandwidthBytes, digestHandshake, flashVer, caFile, chunkLimits);
    }

    public ClientOptions withWindowAckSize(int bytes) {
        return new ClientOptions(connectTimeout, handshakeTimeout, responseTimeout, readTimeout, chunkSizeBytes,
                bytes, peerBandwidthBytes, digestHandshake, flashVer, caFile, chunkLimits);
    }

    public ClientOptions withPeerBandwidth(int bytes) {
        return new ClientOptions(connectTimeout, handshakeTimeout, responseTimeout, readTimeout, chunkSizeBytes,
                windowAckSizeBytes, bytes, digestHandshake, flashVer, caFile, chunkLimits);
    }

    public ClientOptions withReadTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, handshakeTimeout, responseTimeout, timeout, chunkSizeBytes,
                windowAckSizeBytes, peerBandwidthBytes, digestHandshake, flashVer, caFile, chunkLimits);
    }

    public ClientOptions withCaFile(Optional<Path> file) {
        return new ClientOptions(connectTimeout, handshakeTimeout, responseTimeout, readTimeout, chunkSizeBytes,
                windowAckSizeBytes, peerBandwidthBytes, digestHandshake, flashVer, file, chunkLimits);
    }

    public ClientOptions withTimeouts(Duration connect, Duration handshake, Duration response) {
        return new ClientOptions(connect, handshake, response, readTimeout, chunkSizeBytes, windowAckSizeBytes,
                peerBandwidthBytes, digestHandshake, flashVer, caFile, chunkLimits);
    }
}
