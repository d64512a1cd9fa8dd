package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.ArrayList;
import java.util.List;

/** Payloads of data (RTMP 7.1.2) and command (RTMP 7.1.1) messages: a sequence of AMF values. */
final class AmfMessageCodec {
    private AmfMessageCodec() {}

    static DataMessage decodeData(AmfEncoding encoding, RawMessage raw) throws ProtocolException {
        List<AmfValue> values = AmfPayloads.readAll(encoding, raw.payload(), raw.typeId());
        String what = MessageTypes.name(raw.typeId()) + " message";
        if (values.isEmpty()) {
            throw new ProtocolException(what + " has no values, needs at least a handler name");
        }
        if (!(values.getFirst() instanceof AmfValue.Str handler)) {
            throw new ProtocolException("%s starts with %s, needs a handler name string"
                    .formatted(what, AmfPayloads.kind(values.getFirst())));
        }
        return new DataMessage(encoding, raw.messageStreamId(), raw.timestamp(), handler.value(),
                values.subList(1, values.size()));
    }

    /**
     * RTMP 7.1.1: name, transaction id, command object, arguments. The command object is required: peers send
     * null when they have nothing to say (Flash Player, FFmpeg, librtmp, nginx-rtmp all do), so its absence is
     * a broken peer, and accepting it silently would be leniency nobody counts.
     */
    static CommandMessage decodeCommand(AmfEncoding encoding, RawMessage raw) throws ProtocolException {
        List<AmfValue> values = AmfPayloads.readAll(encoding, raw.payload(), raw.typeId());
        String what = MessageTypes.name(raw.typeId()) + " message";
        if (values.isEmpty() || !(values.getFirst() instanceof AmfValue.Str name)) {
            throw new ProtocolException("%s starts with %s, needs a command name string"
                    .formatted(what, values.isEmpty() ? "nothing" : AmfPayloads.kind(values.getFirst())));
        }
        if (values.size() < 2) {
            throw new ProtocolException("%s '%s' has no transaction id".formatted(what, name.value()));
        }
        AmfValue id = values.get(1);
        double transactionId = AmfValue.asDouble(id).orElseThrow(() -> new ProtocolException(
                "%s '%s' transaction id is %s, needs a number".formatted(what, name.value(), AmfPayloads.kind(id))));
        if (values.size() < 3) {
            throw new ProtocolException("%s '%s' has no command object (RTMP 7.1.1: null when there is none)"
                    .formatted(what, name.value()));
        }
        return new CommandMessage(encoding, raw.messageStreamId(), raw.timestamp(), name.value(), transactionId,
                values.get(2), values.subList(3, values.size()));
    }

    static byte[] encodeData(DataMessage m) {
        List<AmfValue> values = new ArrayList<>(m.values().size() + 1);
        values.add(new AmfValue.Str(m.handler()));
        values.addAll(m.values());
        return AmfPayloads.write(m.encoding(), values);
    }

    static byte[] encodeCommand(CommandMessage m) {
        List<AmfValue> values = new ArrayList<>(m.arguments().size() + 3);
        values.add(new AmfValue.Str(m.name()));
        values.add(new AmfValue.Num(m.transactionId()));
        values.add(m.commandObject());
        values.addAll(m.arguments());
        return AmfPayloads.write(m.encoding(), values);
    }
}
