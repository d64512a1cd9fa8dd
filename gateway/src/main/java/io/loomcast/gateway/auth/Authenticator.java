package io.loomcast.gateway.auth;

import io.loomcast.gateway.config.AuthConfig;
import io.loomcast.gateway.config.AuthRuleConfig;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place a publish or play is decided (MediaMTX's {@code internal/auth} shape): one request in, one
 * {@link Decision} out. Built whole from the config and swapped whole on reload. For each action the first
 * rule whose app pattern matches decides; an app no rule matches is open.
 *
 * <p>Thread-safe and immutable; {@link #authenticate} may block on a callback, on the caller's thread.
 */
public final class Authenticator {
    /** No rules: every publish and play is allowed. */
    public static final Authenticator OPEN = new Authenticator(List.of(), List.of(), AddressRules.OPEN);

    private final List<AuthRule> publish;
    private final List<AuthRule> play;
    private final AddressRules addresses;

    public Authenticator(List<AuthRule> publish, List<AuthRule> play, AddressRules addresses) {
        this.publish = List.copyOf(publish);
        this.play = List.copyOf(play);
        this.addresses = addresses;
    }

    /** The rules of {@code config}; callbacks go through {@code http}, expiries are judged by {@code clock}. */
    public static Authenticator from(AuthConfig config, HttpCallbacks http, InstantSource clock) {
        return new Authenticator(rules(config.publish(), http, clock), rules(config.play(), http, clock),
                new AddressRules(config.allow(), config.deny()));
    }

    private static List<AuthRule> rules(List<AuthRuleConfig> configs, HttpCallbacks http, InstantSource clock) {
        List<AuthRule> out = new ArrayList<>();
        for (AuthRuleConfig c : configs) {
            List<Check> checks = new ArrayList<>();
            if (!c.keys().isEmpty()) {
                checks.add(new KeyCheck(c.keys()));
            }
            c.secret().ifPresent(s -> checks.add(new SignatureCheck(s, clock)));
            c.callback().ifPresent(cb -> {
                // Made now, not on the first publish: building the JDK client costs a noticeable part of a
                // callback's timeout on a busy machine.
                http.client();
                checks.add(new CallbackCheck(cb, http));
            });
            out.add(new AuthRule(new AppPattern(c.app()), c.open(), checks));
        }
        return out;
    }

    /** Which peers may connect at all. */
    public AddressRules addresses() {
        return addresses;
    }

    /** Whether some rule covers {@code action} on {@code app}: then credentials are looked at. */
    public Optional<AuthRule> ruleFor(Action action, String app) {
        return (action == Action.PUBLISH ? publish : play).stream().filter(r -> r.app().matches(app)).findFirst();
    }

    public Decision authenticate(AuthRequest request) {
        return ruleFor(request.action(), request.app()).map(r -> r.decide(request)).orElse(Decision.ALLOW);
    }
}
