package io.loomcast.gateway.protocol;

import java.io.IOException;

/**
 * The peer sent bytes that break the RTMP, AMF or FLV rules, or a limit we enforce. Fatal to the one
 * session that read them; the message names what was wrong and, where one applies, the limit it broke.
 */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
