package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.Amf0Reader;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Payloads of shared object messages (RTMP 7.1.3): header, then events until the payload ends. Each event's
 * data is parsed inside its own declared length, so a bad event can never read into the next one.
 */
final class SharedObjectCodec {
    static final int USE = 1;
    static final int RELEASE = 2;
    static final int REQUEST_CHANGE = 3;
    static final int CHANGE = 4;
    static final int SUCCESS = 5;
    static final int SEND_MESSAGE = 6;
    static final int STATUS = 7;
    static final int CLEAR = 8;
    static final int REMOVE = 9;
    static final int REQUEST_REMOVE = 10;
    static final int USE_SUCCESS = 11;

    /** Type (1) and data length (4) before each event's data. */
    private static final int EVENT_HEADER_BYTES = 5;

    private SharedObjectCodec() {}

    static SharedObjectMessage decode(AmfEncoding encoding, RawMessage raw) throws ProtocolException {
        byte[] p = raw.payload();
        int start = AmfPayloads.valuesStart(encoding, p, raw.typeId());
        PayloadReader r = new PayloadReader(p, start, p.length - start, MessageTypes.name(raw.typeId()) + " message");
        String name = r.utf8("shared object name");
        long version = r.u32("version");
        int flags = (int) r.u32("flags");
        r.u32("reserved"); // RTMP 7.1.3 reserves 4 bytes; senders write 0 and we ignore them.
        List<SharedObjectEvent> events = new ArrayList<>();
        while (r.hasRemaining()) {
            int index = events.size() + 1;
            int type = r.u8("event " + index + " type");
            long length = r.u32("event " + index + " data length");
            if (length > r.remaining()) {
                throw new ProtocolException("%s: event %d (type %d) data length %d, only %d bytes remain"
                        .formatted(MessageTypes.name(raw.typeId()) + " message", index, type, length, r.remaining()));
            }
            PayloadReader data = new PayloadReader(p, r.position(), (int) length,
                    "%s message event %d (%s)".formatted(MessageTypes.name(raw.typeId()), index, eventName(type)));
            r.skipTo(r.position() + (int) length);
            events.add(event(type, data));
        }
        return new SharedObjectMessage(encoding, raw.messageStreamId(), raw.timestamp(), name, version, flags, events);
    }

    private static SharedObjectEvent event(int type, PayloadReader d) throws ProtocolException {
        SharedObjectEvent e = switch (type) {
            case USE -> new SharedObjectEvent.Use();
            case RELEASE -> new SharedObjectEvent.Release();
            case REQUEST_CHANGE -> new SharedObjectEvent.RequestChange(d.utf8("property name"), lastValue(d));
            case CHANGE -> new SharedObjectEvent.Change(d.utf8("property name"), lastValue(d));
            case SUCCESS -> new SharedObjectEvent.Success(d.utf8("property name"));
            case SEND_MESSAGE -> sendMessage(d);
            case STATUS -> new SharedObjectEvent.Status(d.utf8("code"), d.utf8("level"));
            case CLEAR -> new SharedObjectEvent.Clear();
            case REMOVE -> new SharedObjectEvent.Remove(d.utf8("property name"));
            case REQUEST_REMOVE -> new SharedObjectEvent.RequestRemove(d.utf8("property name"));
            case USE_SUCCESS -> new SharedObjectEvent.UseSuccess();
            default -> new SharedObjectEvent.Unparsed(type, d.rest());
        };
        d.expectEnd();
        return e;
    }

    /** One AMF0 value that must fill the rest of the event data. */
    private static AmfValue lastValue(PayloadReader d) throws ProtocolException {
        if (!d.hasRemaining()) {
            throw new ProtocolException("%s: property value missing".formatted(d.unit()));
        }
        Amf0Reader amf = new Amf0Reader(d.array(), d.position(), d.remaining());
        AmfValue v = amf.read();
        d.skipTo(amf.position());
        return v;
    }

    private static SharedObjectEvent sendMessage(PayloadReader d) throws ProtocolException {
        List<AmfValue> values = new Amf0Reader(d.array(), d.position(), d.remaining()).readAll();
        d.skipTo(d.position() + d.remaining());
        if (values.isEmpty() || !(values.getFirst() instanceof AmfValue.Str handler)) {
            throw new ProtocolException("%s starts with %s, needs a handler name string"
                    .formatted(d.unit(), values.isEmpty() ? "nothing" : AmfPayloads.kind(values.getFirst())));
        }
        return new SharedObjectEvent.SendMessage(handler.value(), values.subList(1, values.size()));
    }

    static byte[] encode(SharedObjectMessage m) {
        PayloadWriter w = new PayloadWriter(64);
        if (m.encoding() == AmfEncoding.AMF3) {
            w.u8(0); // the AMF3 types' format byte, as for commands
        }
        w.utf8(m.name()).u32(m.version()).u32(Integer.toUnsignedLong(m.flags())).u32(0);
        for (SharedObjectEvent e : m.events()) {
            byte[] data = eventData(e);
            w.u8(eventType(e)).u32(data.length).bytes(data);
        }
        return w.toByteArray();
    }

    private static byte[] eventData(SharedObjectEvent e) {
        PayloadWriter w = new PayloadWriter(32);
        switch (e) {
            case SharedObjectEvent.Use u -> { }
            case SharedObjectEvent.Release r -> { }
            case SharedObjectEvent.RequestChange c -> w.utf8(c.property()).bytes(Amf0Writer.encode(c.value()));
            case SharedObjectEvent.Change c -> w.utf8(c.property()).bytes(Amf0Writer.encode(c.value()));
            case SharedObjectEvent.Success s -> w.utf8(s.property());
            case SharedObjectEvent.SendMessage s -> {
                Amf0Writer amf = new Amf0Writer().write(new AmfValue.Str(s.handler()));
                s.arguments().forEach(amf::write);
                w.bytes(amf.toByteArray());
            }
            case SharedObjectEvent.Status s -> w.utf8(s.code()).utf8(s.level());
            case SharedObjectEvent.Clear c -> { }
            case SharedObjectEvent.Remove r -> w.utf8(r.property());
            case SharedObjectEvent.RequestRemove r -> w.utf8(r.property());
            case SharedObjectEvent.UseSuccess u -> { }
            case SharedObjectEvent.Unparsed u -> w.bytes(u.data());
        }
        return w.toByteArray();
    }

    private static int eventType(SharedObjectEvent e) {
        return switch (e) {
            case SharedObjectEvent.Use u -> USE;
            case SharedObjectEvent.Release r -> RELEASE;
            case SharedObjectEvent.RequestChange c -> REQUEST_CHANGE;
            case SharedObjectEvent.Change c -> CHANGE;
            case SharedObjectEvent.Success s -> SUCCESS;
            case SharedObjectEvent.SendMessage s -> SEND_MESSAGE;
            case SharedObjectEvent.Status s -> STATUS;
            case SharedObjectEvent.Clear c -> CLEAR;
            case SharedObjectEvent.Remove r -> REMOVE;
            case SharedObjectEvent.RequestRemove r -> REQUEST_REMOVE;
            case SharedObjectEvent.UseSuccess u -> USE_SUCCESS;
            case SharedObjectEvent.Unparsed u -> u.eventType();
        };
    }

    private static String eventName(int type) {
        return switch (type) {
            case USE -> "Use";
            case RELEASE -> "Release";
            case REQUEST_CHANGE -> "Request Change";
            case CHANGE -> "Change";
            case SUCCESS -> "Success";
            case SEND_MESSAGE -> "Send Message";
            case STATUS -> "Status";
            case CLEAR -> "Clear";
            case REMOVE -> "Remove";
            case REQUEST_REMOVE -> "Request Remove";
            case USE_SUCCESS -> "Use Success";
            default -> "type " + type;
        };
    }
}
