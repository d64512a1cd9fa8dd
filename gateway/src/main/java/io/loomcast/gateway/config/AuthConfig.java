package io.loomcast.gateway.config;

import java.util.List;

/**
 * Who may connect, publish and play. Addresses are checked at accept, before the handshake; publish and play
 * requests by the first rule whose app pattern matches. With no rule for an app, it is open.
 *
 * @param allow   when not empty, only peers in one of these networks are accepted
 * @param deny    peers in these networks are refused; deny wins over allow
 * @param publish rules for publishing, in file order
 * @param play    rules for playing, in file order
 */
public record AuthConfig(List<Cidr> allow, List<Cidr> deny, List<AuthRuleConfig> publish, List<AuthRuleConfig> play) {
    /** Everyone may connect, publish and play: the default without an {@code auth} section. */
    public static final AuthConfig OPEN = new AuthConfig(List.of(), List.of(), List.of(), List.of());

    public AuthConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        publish = List.copyOf(publish);
        play = List.copyOf(play);
    }
}
