package io.loomcast.gateway.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} to listen on, e.g. {@code 127.0.0.1:1935}, {@code 0.0.0.0:1935} or {@code [::1]:1935}.
 * Port 0 asks the OS for a free port (tests).
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host.isEmpty() || port < 0 || port > 65_535) {
            throw new IllegalArgumentException("bad listen address " + host + ":" + port);
        }
    }

    /** @throws IllegalArgumentException with a message saying what is wrong */
    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") != host.endsWith("]")) {
            throw new IllegalArgumentException("expected host:port");
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 host needs brackets: [::1]:1935");
        }
        if (host.isEmpty() || !portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5
                || Integer.parseInt(portText) > 65_535) {
            throw new IllegalArgumentException("expected host:port with a port from 0 to 65535");
        }
        return new ListenAddress(host, Integer.parseInt(portText));
    }

    /** The address to bind; resolves the host name. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
