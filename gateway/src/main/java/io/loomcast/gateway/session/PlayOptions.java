package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.amf.AmfValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * play2's argument, a NetStreamPlayOptions object: the stream to play, the one it replaces, how to go from
 * one to the other, and the start and length of a recorded play (meaningless live). It may come as an AMF0
 * object, an AMF0 typed object or an AMF3 object (sealed or dynamic members); all read the same.
 *
 * @param streamName    the stream to play; required but for {@link Transition#STOP}
 * @param oldStreamName the stream being played that this replaces; empty when not given
 * @param transition    how to get there; {@link Transition#SWITCH} when not given
 */
record PlayOptions(String streamName, String oldStreamName, Transition transition, double start, double len) {

    /** NetStreamPlayTransitions, by their wire names. */
    enum Transition {
        SWITCH("switch"), SWAP("swap"), RESET("reset"), STOP("stop"), APPEND("append"),
        APPEND_AND_WAIT("appendAndWait");

        final String wireName;

        Transition(String wireName) {
            this.wireName = wireName;
        }

        static Optional<Transition> parse(String text) {
            for (Transition t : values()) {
                if (t.wireName.equalsIgnoreCase(text.trim())) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** Longest transition name we repeat back in an error. */
    private static final int MAX_ECHO = 32;

    /** Reads the options, or says what is wrong with them, in words a player's developer can act on. */
    static Result parse(AmfValue value) {
        Map<String, AmfValue> fields = fields(value);
        if (fields == null) {
            return new Invalid("play2 needs a NetStreamPlayOptions object, got " + kind(value));
        }
        String streamName = string(fields, "streamName").orElse("");
        Transition transition;
        Optional<String> text = string(fields, "transition");
        if (text.isEmpty() || text.get().isBlank()) {
            transition = Transition.SWITCH;
        } else {
            Optional<Transition> t = Transition.parse(text.get());
            if (t.isEmpty()) {
                String shown = text.get().length() > MAX_ECHO ? text.get().substring(0, MAX_ECHO) + "..." : text.get();
                return new Invalid("play2 transition '%s' is not one of switch, swap, reset, stop, append, appendAndWait"
                        .formatted(shown));
            }
            transition = t.get();
        }
        if (streamName.isEmpty() && transition != Transition.STOP) {
            return new Invalid("play2 options have no streamName");
        }
        return new Valid(new PlayOptions(streamName, string(fields, "oldStreamName").orElse(""), transition,
                number(fields, "start").orElse(-2.0), number(fields, "len").orElse(-1.0)));
    }

    /** What {@link #parse} makes of an argument. */
    sealed interface Result {}

    record Valid(PlayOptions options) implements Result {}

    record Invalid(String reason) implements Result {}

    private static Map<String, AmfValue> fields(AmfValue v) {
        return switch (v) {
            case AmfValue.Obj o -> o.properties();
            case AmfValue.TypedObject t -> t.properties();
            case AmfValue.EcmaArray a -> a.entries();
            case AmfValue.Amf3Object o -> {
                Map<String, AmfValue> all = new LinkedHashMap<>(o.sealedMembers());
                all.putAll(o.dynamicMembers());
                yield all;
            }
            case null, default -> null;
        };
    }

    private static Optional<String> string(Map<String, AmfValue> fields, String name) {
        return fields.get(name) instanceof AmfValue.Str s ? Optional.of(s.value()) : Optional.empty();
    }

    private static Optional<Double> number(Map<String, AmfValue> fields, String name) {
        AmfValue v = fields.get(name);
        return v == null ? Optional.empty() : AmfValue.asDouble(v);
    }

    private static String kind(AmfValue v) {
        return v == null ? "nothing" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
