package io.loomcast.gateway.bench;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.session.CommandRejectedException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Why a client failed, as the short key the report counts it under. The keys are documented in
 * benchmarks/BENCH.md and fixed by the report's schema:
 * {@code refused}, {@code timeout}, {@code handshake}, {@code rejected:<onStatus code>}, {@code closed},
 * {@code reset}, {@code idle}, {@code protocol}, {@code tls}, {@code dns}, {@code unreachable}, {@code error}.
 */
final class FailureReason {
    /** The package whose frames on a stack mean the RTMP handshake was under way. */
    private static final String HANDSHAKE_PACKAGE = "io.loomcast.gateway.protocol.handshake.";

    /** Where a client was when it failed. */
    enum Phase {
        /** TCP, TLS, the RTMP handshake and the connect command: {@code RtmpClient.connect}. */
        CONNECT,
        /** createStream and play or publish, up to NetStream.Play.Start or Publish.Start. */
        COMMAND,
        /** Playing or publishing. */
        STREAMING
    }

    private FailureReason() {}

    static String of(Phase phase, Throwable e) {
        return switch (e) {
            case CommandRejectedException r -> "rejected:" + (r.code().isEmpty() ? "unknown" : r.code());
            case ConnectException c -> "refused";
            case UnknownHostException u -> "dns";
            case NoRouteToHostException n -> "unreachable";
            case SSLException s -> "tls";
            // A read that got nothing in time: before streaming the server is slow to answer; while
            // streaming, no message at all came for the whole idle timeout.
            case SocketTimeoutException t -> phase == Phase.STREAMING ? "idle" : "timeout";
            case Throwable t when phase == Phase.CONNECT && duringHandshake(t) -> "handshake";
            case ProtocolException p -> "protocol";
            case EOFException eof -> phase == Phase.STREAMING ? "reset" : "closed";
            case SocketException s -> phase == Phase.STREAMING ? "reset" : "closed";
            default -> "error";
        };
    }

    /**
     * Whether {@code e} was thrown inside the handshake. {@code RtmpClient.connect} covers TCP, handshake and
     * the connect command in one call, so the stack is what tells the handshake's failures apart.
     */
    private static boolean duringHandshake(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith(HANDSHAKE_PACKAGE)) {
                return true;
            }
        }
        return false;
    }
}
