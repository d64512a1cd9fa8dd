package io.loomcast.gateway.protocol.message;

/**
 * Window Acknowledgement Size (type 5, RTMP 5.4.4): the receiver of this message should acknowledge after each
 * {@code windowBytes} it receives.
 *
 * @param windowBytes unsigned 32-bit
 */
public record WindowAcknowledgementSize(long windowBytes) implements ControlMessage {
    public WindowAcknowledgementSize {
        Checks.uint32(windowBytes, "window size");
    }
}
