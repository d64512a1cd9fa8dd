package io.loomcast.gateway.protocol.message;

/**
 * User control event Ping Request (6, RTMP 7.1.7): the server checks the client is reachable; the client
 * answers with a {@link PingResponse} carrying the same timestamp.
 *
 * @param timestamp the sender's local time in milliseconds, unsigned 32-bit
 */
public record PingRequest(long timestamp) implements UserControlEvent {
    public PingRequest {
        Checks.uint32(timestamp, "ping timestamp");
    }

    /** The answer RTMP 7.1.7 asks for. */
    public PingResponse response() {
        return new PingResponse(timestamp);
    }
}
