package io.loomcast.gateway.protocol.message;

/**
 * User control event Ping Response (7, RTMP 7.1.7): the answer to a {@link PingRequest}.
 *
 * @param timestamp the timestamp the request carried, unsigned 32-bit
 */
public record PingResponse(long timestamp) implements UserControlEvent {
    public PingResponse {
        Checks.uint32(timestamp, "ping timestamp");
    }
}
