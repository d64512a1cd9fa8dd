package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.Action;
import io.loomcast.gateway.auth.AuthRequest;
import io.loomcast.gateway.auth.Authenticator;
import io.loomcast.gateway.auth.Decision;
import io.loomcast.gateway.auth.QueryArg;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's side of auth: turns one publish or play into an {@link AuthRequest}, asks the current
 * {@link Authenticator}, and counts a refusal (the session logs it once as it closes, with the peer's address
 * and the name without its query). The session only acts on the {@link Outcome}; it never looks at a key.
 */
final class StreamAdmission {
    private static final Logger log = LoggerFactory.getLogger(StreamAdmission.class);

    private final Connection connection;
    private final Supplier<Authenticator> auth;
    private final ServerCounters counters;

    /** What connect said about the client, passed on to the rules (and a callback). */
    record ConnectInfo(String tcUrl, String pageUrl, String swfUrl, String flashVer) {
        static final ConnectInfo NONE = new ConnectInfo("", "", "", "");

        @Override
        public String toString() {
            return "ConnectInfo[tcUrl=" + (tcUrl.isEmpty() ? "" : io.loomcast.gateway.config.Redaction.url(tcUrl)) + "]";
        }
    }

    /** What the session does next. */
    sealed interface Outcome {
        /** Go ahead with {@code request}: the one asked for, or the name a callback gave. */
        record Admitted(StreamRequest request) implements Outcome {}

        /** Send the refusal status with {@code description}, then close. */
        record Refused(String description) implements Outcome {}
    }

    StreamAdmission(Connection connection, Supplier<Authenticator> auth, ServerCounters counters) {
        this.connection = connection;
        this.auth = auth;
        this.counters = counters;
    }

    Outcome admit(Action action, StreamRequest request, ConnectInfo connect) {
        Authenticator rules = auth.get();
        if (rules.ruleFor(action, request.app()).isEmpty()) {
            return new Outcome.Admitted(request);
        }
        String app = request.app();
        String name = request.path().substring(app.length() + 1);
        List<QueryArg> args = new ArrayList<>(QueryArg.parse(request.query()));
        for (QueryArg a : QueryArg.parse(QueryArg.queryOf(connect.tcUrl()))) {
            if (!args.contains(a)) {
                args.add(a);
            }
        }
        AuthRequest asked = new AuthRequest(connection.peerAddress(), action, app, name, args, connect.tcUrl(),
                connect.pageUrl(), connect.swfUrl(), connect.flashVer());
        return switch (rules.authenticate(asked)) {
            case Decision.Allow a -> new Outcome.Admitted(request);
            case Decision.Rename r -> renamed(action, request, r.name());
            case Decision.Deny d -> {
                counters.refused(action == Action.PUBLISH ? Refusal.PUBLISH_DENIED : Refusal.PLAY_DENIED);
                counters.authDenied(d.reason());
                // Logged once, by the session as it closes: with the address, and the name without its query.
                yield new Outcome.Refused("%s %s refused: %s.".formatted(action == Action.PUBLISH ? "Publishing"
                        : "Playing", request.path(), d.description()));
            }
        };
    }

    private Outcome renamed(Action action, StreamRequest request, String name) {
        try {
            StreamRequest next = StreamRequest.resolve(request.app(), name);
            log.info("{}: {} of {} renamed to {} by the auth callback", connection.name(), action.wireName(), request,
                    next.path());
            return new Outcome.Admitted(new StreamRequest(next.path(), request.query()));
        } catch (ProtocolException e) {
            counters.refused(action == Action.PUBLISH ? Refusal.PUBLISH_DENIED : Refusal.PLAY_DENIED);
            counters.authDenied(io.loomcast.gateway.auth.DenyReason.CALLBACK_REFUSED);
            log.debug("{}: the auth callback's new name for {} is unusable: {}", connection.name(), request,
                    e.getMessage());
            return new Outcome.Refused("%s %s refused: the auth callback gave an unusable name.".formatted(
                    action == Action.PUBLISH ? "Publishing" : "Playing", request.path()));
        }
    }
}
