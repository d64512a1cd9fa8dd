package io.loomcast.gateway.protocol.handshake;

import java.io.IOException;

/**
 * Arms the transport's read timeout before each blocking read of the {@link Handshake} driver, with what is
 * left of the handshake's budget. Over a socket pass {@code socket::setSoTimeout}: then a read that would
 * outlive the deadline throws {@link java.net.SocketTimeoutException}, and the driver rethrows it naming the
 * unit and how much of it arrived. Remember to reset the socket's timeout for the session afterwards.
 */
@FunctionalInterface
public interface ReadTimeout {
    /** For streams that cannot time out (in-memory pipes): the deadline is then checked between reads only. */
    ReadTimeout UNARMED = remainingMillis -> {};

    /**
     * @param remainingMillis at least 1, never 0: {@code Socket.setSoTimeout(0)} would mean "wait forever"
     */
    void arm(int remainingMillis) throws IOException;
}
