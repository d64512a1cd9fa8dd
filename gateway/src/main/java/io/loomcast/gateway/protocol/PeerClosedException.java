package io.loomcast.gateway.protocol;

import java.io.EOFException;

/** The peer closed the connection, cleanly between units or in the middle of one (the message says which). */
public class PeerClosedException extends EOFException {
    public PeerClosedException(String message) {
        super(message);
    }
}
