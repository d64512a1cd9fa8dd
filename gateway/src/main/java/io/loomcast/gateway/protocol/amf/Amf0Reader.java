package io.loomcast.gateway.protocol.amf;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;

/** Reads AMF0 values (with the AVM+ switch to AMF3) from one message payload. API pinned; body in progress. */
public final class Amf0Reader {
    public Amf0Reader(byte[] data) {
        this(data, 0, data.length);
    }

    public Amf0Reader(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("AMF0 reader not written yet");
    }

    public boolean hasRemaining() {
        throw new UnsupportedOperationException();
    }

    /** Offset of the next unread byte, relative to the start of the array. */
    public int position() {
        throw new UnsupportedOperationException();
    }

    public AmfValue read() throws ProtocolException {
        throw new UnsupportedOperationException();
    }

    /** Every value up to the end of the payload. */
    public List<AmfValue> readAll() throws ProtocolException {
        throw new UnsupportedOperationException();
    }
}
