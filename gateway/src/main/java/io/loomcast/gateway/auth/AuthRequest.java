package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.Redaction;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One publish or play to decide on: who asks, for which stream, with what credentials, and what the client
 * said about itself in connect. The session fills it in; {@link Authenticator} judges it. {@code toString()}
 * hides every argument value and the tcUrl's key.
 *
 * @param peer     the client's address
 * @param action   publish or play
 * @param app      the stream's app, the first segment of its path
 * @param name     the rest of the path, without the query
 * @param args     the query arguments of the stream name and of connect's app and tcUrl, in that order
 * @param tcUrl    connect's tcUrl as sent (it may carry a key)
 * @param pageUrl  connect's pageUrl, or empty
 * @param swfUrl   connect's swfUrl, or empty
 * @param flashVer connect's flashVer, or empty
 */
public record AuthRequest(InetAddress peer, Action action, String app, String name, List<QueryArg> args,
                          String tcUrl, String pageUrl, String swfUrl, String flashVer) {
    public AuthRequest {
        args = List.copyOf(args);
    }

    /** {@code app/name}: what a signature covers and what the hub will call the stream. */
    public String path() {
        return app + "/" + name;
    }

    /** The first value of argument {@code argName}. */
    public Optional<String> arg(String argName) {
        return args.stream().filter(a -> a.name().equals(argName)).map(QueryArg::value).findFirst();
    }

    /** Every value of argument {@code argName}, in order. */
    public List<String> args(String argName) {
        return args.stream().filter(a -> a.name().equals(argName)).map(QueryArg::value).toList();
    }

    @Override
    public String toString() {
        return "AuthRequest[" + action.wireName() + " " + path() + " from " + peer.getHostAddress() + ", args="
                + args + ", tcUrl=" + (tcUrl.isEmpty() ? "" : Redaction.url(tcUrl)) + "]";
    }
}
