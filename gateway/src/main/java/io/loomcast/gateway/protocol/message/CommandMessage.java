package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.amf.AmfValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Command message (type 20 AMF0, 17 AMF3; RTMP 7.1.1): a remote call with a name, a transaction id, a command
 * object and arguments (RTMP 7.2). Replies ({@code _result}, {@code _error}) carry the request's transaction
 * id; {@link #reply} also keeps its encoding and message stream, so an AMF3 request gets an AMF3 answer.
 *
 * @param encoding        which of the two message types it came as or is to be sent as
 * @param messageStreamId 0 for NetConnection commands (connect, createStream); the stream's id for NetStream
 *                        commands (play, publish) and their onStatus replies
 * @param timestamp       milliseconds, unsigned 32-bit; peers send 0 and ignore it
 * @param name            the procedure name, e.g. {@code connect}
 * @param transactionId   0 when no reply is expected (RTMP 7.2.2); compare with {@link #sameTransaction}
 * @param commandObject   connection or call properties; {@link AmfValue#NULL} when there are none
 * @param arguments       what follows the command object
 */
public record CommandMessage(
        AmfEncoding encoding,
        int messageStreamId,
        long timestamp,
        String name,
        double transactionId,
        AmfValue commandObject,
        List<AmfValue> arguments) implements StreamMessage {

    public static final String CONNECT = "connect";
    public static final String CREATE_STREAM = "createStream";
    public static final String DELETE_STREAM = "deleteStream";
    public static final String PLAY = "play";
    public static final String PUBLISH = "publish";
    public static final String RESULT = "_result";
    public static final String ERROR = "_error";
    public static final String ON_STATUS = "onStatus";

    public CommandMessage {
        Objects.requireNonNull(encoding, "encoding");
        Checks.uint32(timestamp, "timestamp");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(commandObject, "commandObject");
        arguments = List.copyOf(arguments);
    }

    /** An AMF0 command on the NetConnection (message stream 0) at timestamp 0: how clients send connect. */
    public static CommandMessage of(String name, double transactionId, AmfValue commandObject, AmfValue... arguments) {
        return new CommandMessage(AmfEncoding.AMF0, 0, 0, name, transactionId, commandObject, List.of(arguments));
    }

    /**
     * onStatus on a stream (RTMP 7.2.2): transaction id 0, a null command object, and the info object.
     * Build the info with {@link #statusInfo}.
     */
    public static CommandMessage onStatus(AmfEncoding encoding, int messageStreamId, AmfValue info) {
        return new CommandMessage(encoding, messageStreamId, 0, ON_STATUS, 0, AmfValue.NULL, List.of(info));
    }

    /** The info object of an onStatus or a connect {@code _result}: level, code and description, in that order. */
    public static AmfValue.Obj statusInfo(String level, String code, String description) {
        Map<String, AmfValue> info = new LinkedHashMap<>();
        info.put("level", new AmfValue.Str(level));
        info.put("code", new AmfValue.Str(code));
        info.put("description", new AmfValue.Str(description));
        return new AmfValue.Obj(info);
    }

    /** This command on another message stream (play and publish go on the stream createStream returned). */
    public CommandMessage onStream(int newMessageStreamId) {
        return new CommandMessage(
                encoding, newMessageStreamId, timestamp, name, transactionId, commandObject, arguments);
    }

    /** This command in the other encoding. */
    public CommandMessage withEncoding(AmfEncoding newEncoding) {
        return new CommandMessage(
                newEncoding, messageStreamId, timestamp, name, transactionId, commandObject, arguments);
    }

    /** An answer to this command: same encoding, message stream and transaction id, timestamp 0. */
    public CommandMessage reply(String replyName, AmfValue replyObject, AmfValue... replyArguments) {
        return new CommandMessage(
                encoding, messageStreamId, 0, replyName, transactionId, replyObject, List.of(replyArguments));
    }

    /** {@code _result} for this command (RTMP 7.2.1.1, 7.2.1.3). */
    public CommandMessage result(AmfValue replyObject, AmfValue... replyArguments) {
        return reply(RESULT, replyObject, replyArguments);
    }

    /** {@code _error} for this command. */
    public CommandMessage error(AmfValue replyObject, AmfValue... replyArguments) {
        return reply(ERROR, replyObject, replyArguments);
    }

    /** The argument at {@code index} (0 is the first after the command object), if present. */
    public Optional<AmfValue> argument(int index) {
        return index >= 0 && index < arguments.size() ? Optional.of(arguments.get(index)) : Optional.empty();
    }

    /** The argument at {@code index} if it is a string: the stream name of play and publish. */
    public Optional<String> stringArgument(int index) {
        return argument(index).filter(AmfValue.Str.class::isInstance).map(v -> ((AmfValue.Str) v).value());
    }

    /**
     * A string field of the info object that onStatus, {@code _error} and connect's {@code _result} carry as
     * their first argument after the command object: {@code level}, {@code code}, {@code description}.
     */
    public Optional<String> infoField(String name) {
        return argument(0).filter(AmfValue.Obj.class::isInstance).flatMap(v -> ((AmfValue.Obj) v).string(name));
    }

    /**
     * Whether {@code reply} answers a request with this transaction id. Ids travel as AMF numbers; this compares
     * them as the record's equals does ({@link Double#compare}), so callers never write {@code ==} on doubles.
     */
    public boolean sameTransaction(CommandMessage reply) {
        return Double.compare(transactionId, reply.transactionId) == 0;
    }
}
