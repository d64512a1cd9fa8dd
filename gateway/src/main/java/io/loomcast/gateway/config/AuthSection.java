package io.loomcast.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Binds {@code auth}: address rules and the publish and play rules. Errors never show a key or the secret: they
 * name the field, and {@link Binder} masks any value that came from an environment variable.
 */
final class AuthSection {
    /** An HMAC key much shorter than its 32-byte output can be guessed offline from one signed URL. */
    static final int MIN_SECRET_CHARS = 16;
    private static final String APP_PATTERN = "[A-Za-z0-9_.\\-*]+";
    private static final String ANY_APP = "*";

    private final Binder binder;

    private AuthSection(Binder binder) {
        this.binder = binder;
    }

    static AuthConfig bind(YamlMapping m) {
        AuthSection s = new AuthSection(m.binder());
        AuthConfig auth = new AuthConfig(
                s.networks(m.list("allow"), m.path("allow")),
                s.networks(m.list("deny"), m.path("deny")),
                s.rules(m.list("publish"), m.path("publish")),
                s.rules(m.list("play"), m.path("play")));
        m.finish();
        return auth;
    }

    private List<Cidr> networks(List<Node> items, String path) {
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node node = items.get(i);
            String itemPath = path + "[" + i + "]";
            binder.scalar(node, itemPath).ifPresent(s -> {
                try {
                    out.add(Cidr.parse(s.value().strip()));
                } catch (IllegalArgumentException e) {
                    // "problem; hint": the hint (the network meant) goes after what was written.
                    String[] parts = e.getMessage().split("; ", 2);
                    binder.errors.add(node, itemPath, parts[0] + ", got " + Binder.quote(s.shown()),
                            parts.length > 1 ? parts[1] : "");
                }
            });
        }
        return out;
    }

    private List<AuthRuleConfig> rules(List<Node> items, String path) {
        List<AuthRuleConfig> out = new ArrayList<>();
        Map<String, Node> firstByApp = new HashMap<>();
        Node catchAll = null;
        for (int i = 0; i < items.size(); i++) {
            YamlMapping m = binder.mapping(items.get(i), path + "[" + i + "]");
            Optional<Node> appNode = m.required("app");
            Optional<String> app = appNode.flatMap(n -> appPattern(n, m.path("app")));
            if (app.isPresent()) {
                Node first = firstByApp.putIfAbsent(app.get(), appNode.get());
                Node shadow = first != null ? first : catchAll;
                if (shadow != null) {
                    binder.errors.add(appNode.get(), m.path("app"), "never used: the rule at line " + line(shadow)
                            + " matches this app first", "the first rule whose app matches decides; merge them");
                } else if (app.get().equals(ANY_APP)) {
                    catchAll = appNode.get();
                }
            }
            boolean open = m.bool("open", false);
            List<Secret> keys = keys(m);
            Optional<Secret> secret = m.node("secret").flatMap(n -> secret(n, m.path("secret")));
            Optional<CallbackConfig> callback = m.node("callback").flatMap(n -> callback(n, m.path("callback")));
            boolean checks = !keys.isEmpty() || secret.isPresent() || callback.isPresent();
            boolean anyCheckKey = m.node("keys").isPresent() || m.node("secret").isPresent()
                    || m.node("callback").isPresent();
            if (open && anyCheckKey) {
                binder.errors.add(m.node("open").orElseThrow(), m.path("open"),
                        "open: true lets everyone in, so keys, secret and callback would never be asked",
                        "keep either open: true or the checks");
            } else if (!open && !anyCheckKey) {
                binder.errors.add(m.at(), m.path(), "a rule needs keys, secret or callback",
                        "to leave the app open, write open: true");
            }
            m.finish();
            if (app.isPresent() && (open || checks)) {
                out.add(new AuthRuleConfig(app.get(), open, keys, secret, callback));
            }
        }
        return out;
    }

    private Optional<String> appPattern(Node node, String path) {
        return binder.scalar(node, path).filter(s -> {
            if (!s.value().matches(APP_PATTERN)) {
                binder.errors.add(node, path, "an app pattern is letters, digits, '.', '_', '-' and '*', got "
                        + Binder.quote(s.shown()), "e.g. live, live-*, or * for every app");
                return false;
            }
            return true;
        }).map(Binder.Scalar::value);
    }

    /** {@code keys}: a list of keys, or one key on its own (so a lone key is never echoed as "not a list"). */
    private List<Secret> keys(YamlMapping m) {
        Optional<Node> node = m.node("keys");
        if (node.isEmpty()) {
            return List.of();
        }
        String path = m.path("keys");
        List<Node> items = node.get() instanceof SequenceNode s ? s.getValue() : List.of(node.get());
        List<Secret> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = node.get() instanceof SequenceNode ? path + "[" + i + "]" : path;
            Node item = items.get(i);
            if (!(item instanceof org.snakeyaml.engine.v2.nodes.ScalarNode)) {
                binder.errors.add(item, itemPath, "expected a key, got " + (item instanceof MappingNode
                        ? "a mapping" : "a list"));
                continue;
            }
            binder.string(item, itemPath).map(Secret::new).ifPresent(out::add);
        }
        if (items.isEmpty()) {
            binder.errors.add(node.get(), path, "an empty list lets nobody in by key", "give a key, or remove keys");
        }
        return out;
    }

    private Optional<Secret> secret(Node node, String path) {
        return binder.string(node, path).filter(text -> {
            if (text.length() < MIN_SECRET_CHARS) {
                binder.errors.add(node, path, "a signing secret needs at least " + MIN_SECRET_CHARS + " characters",
                        "make one with: openssl rand -hex 32");
                return false;
            }
            return true;
        }).map(Secret::new);
    }

    /** {@code callback}: {@code {url, timeout}}, or the URL alone. */
    private Optional<CallbackConfig> callback(Node node, String path) {
        YamlMapping m = node instanceof MappingNode ? binder.mapping(node, path) : null;
        Optional<Node> urlNode = m == null ? Optional.of(node) : m.required("url");
        String urlPath = m == null ? path : m.path("url");
        Optional<URI> url = urlNode.flatMap(n -> binder.scalar(n, urlPath).flatMap(t -> httpUrl(n, urlPath, t)));
        Duration timeout = m == null ? CallbackConfig.DEFAULT_TIMEOUT
                : m.duration("timeout", CallbackConfig.DEFAULT_TIMEOUT, Duration.ofMillis(100), Duration.ofSeconds(30));
        if (m != null) {
            m.finish();
        }
        return url.map(u -> new CallbackConfig(u, timeout));
    }

    private Optional<URI> httpUrl(Node node, String path, Binder.Scalar scalar) {
        String text = scalar.value();
        String problem;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "scheme \"" + scheme + "\" is not http or https";
            } else if (uri.getHost() == null) {
                problem = "no host";
            } else {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            problem = "not a URL: " + e.getReason();
        }
        binder.errors.add(node, path, problem + ", got " + Binder.quote(scalar.shown().contains("://")
                || scalar.shown().contains("${") ? scalar.shown() : Redaction.MASK), "e.g. http://127.0.0.1:9000/on_publish");
        return Optional.empty();
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
