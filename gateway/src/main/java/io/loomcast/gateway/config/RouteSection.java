package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Binds {@code routes}: the stream pattern, its pull and its pushes, and the rules that span routes. */
final class RouteSection {
    private final Binder binder;
    private final ServerConfig server;
    private final RelayConfig relay;
    private final TranscodeConfig transcode;
    /** Renditions ({@code app/name@profile}) the pushes of exact routes run, each once, against maxEncoders. */
    private Set<String> exactRenditions = new LinkedHashSet<>();
    /** Every route's stream so far, and where it was first given. */
    private Map<String, Where> firstByStream = new HashMap<>();
    /** Every route id so far, and where it was given. */
    private Map<String, Where> routeIds = new HashMap<>();

    /** Where a stream or id was first given: a node of some file, or a description ("route live-studio"). */
    private record Where(Node node, String description) {
        static Where of(Node node) {
            return new Where(node, "");
        }

        static Where of(String description) {
            return new Where(null, description);
        }

        /** For a hint at {@code at}: "first at line 3", with the file's name when it is another file. */
        String hint(Node at) {
            if (node == null) {
                return "already " + description;
            }
            String file = name(node);
            return "first at " + (file.equals(name(at)) ? "" : file + " ") + "line " + line(node);
        }

        private static String name(Node n) {
            return n.getStartMark().map(m -> m.getName()).orElse("");
        }
    }

    RouteSection(Binder binder, ServerConfig server, RelayConfig relay, TranscodeConfig transcode) {
        this.binder = binder;
        this.server = server;
        this.relay = relay;
        this.transcode = transcode;
    }

    /**
     * A section that binds with {@code other} (the API state's binder, which leaves {@code ${VAR}} alone) and
     * shares this one's streams, ids and encoder count, so both files are checked as one.
     */
    RouteSection withBinder(Binder other) {
        RouteSection s = new RouteSection(other, server, relay, transcode);
        s.exactRenditions = exactRenditions;
        s.firstByStream = firstByStream;
        s.routeIds = routeIds;
        return s;
    }

    /**
     * Binds the config file's {@code routes}. Routes without an {@code id} get one made from their stream, after
     * every explicit id is known, so a generated id never takes one the file gives later.
     */
    List<RouteConfig> bind(List<Node> items) {
        List<Optional<RouteConfig>> bound = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            bound.add(route(items.get(i), "routes[" + i + "]", false));
        }
        List<RouteConfig> routes = new ArrayList<>();
        for (Optional<RouteConfig> r : bound) {
            r.ifPresent(route -> routes.add(route.id().isEmpty() ? route.withId(generatedRouteId(route.stream()))
                    : route));
        }
        return routes;
    }

    /** A route the gateway already runs (API bodies are checked against them): its stream and id are taken. */
    void known(RouteConfig route, String description) {
        firstByStream.putIfAbsent(route.stream(), Where.of(description));
        routeIds.putIfAbsent(route.id(), Where.of(description));
    }

    /** Frees a stream and id, for a route of the file that the API state removed. */
    void forget(RouteConfig route) {
        firstByStream.remove(route.stream());
        routeIds.remove(route.id());
    }

    /** An id for a route of {@code stream} that no route has yet. */
    String generatedRouteId(String stream) {
        String id = Ids.unique(RouteConfig.defaultId(stream), routeIds.keySet());
        routeIds.put(id, Where.of("the generated id of the route for " + stream));
        return id;
    }

    /**
     * One route at {@code path}. Its id is empty when the node gives none and {@code idRequired} is false; the
     * caller then generates one ({@link #generatedRouteId}). Pushes without an id always get one here.
     */
    Optional<RouteConfig> route(Node item, String path, boolean idRequired) {
        YamlMapping m = binder.mapping(item, path);
        Optional<Node> streamNode = m.required("stream");
        Optional<String> stream = streamNode.flatMap(n -> stream(n, m.path("stream")));
        if (stream.isPresent()) {
            Where first = firstByStream.putIfAbsent(stream.get(), Where.of(streamNode.get()));
            if (first != null) {
                binder.errors.add(streamNode.get(), m.path("stream"), "duplicate stream",
                        first.hint(streamNode.get()) + "; put all its pulls and pushes in one route");
            }
        }
        Optional<String> id = (idRequired ? m.required("id") : m.node("id")).flatMap(n -> id(n, m.path("id"), "route",
                routeIds));
        boolean wildcard = stream.filter(st -> st.endsWith("/" + RouteConfig.WILDCARD)).isPresent();
        Optional<PullConfig> pull = m.node("pull").flatMap(n -> pull(n, m.path("pull"), wildcard));
        String exactStream = stream.filter(st -> !st.endsWith("/" + RouteConfig.WILDCARD)).orElse(null);
        List<PushConfig> pushes = pushes(m.list("push"), m.path("push"), exactStream, List.of(), false);
        m.finish();
        return stream.map(s -> new RouteConfig(s, pull, pushes, id.orElse("")));
    }

    /**
     * The pushes at {@code path}, added after {@code existing} (whose ids and destinations they must not repeat).
     * Those without an id get one, unless {@code idRequired} (then a missing one is an error).
     */
    List<PushConfig> pushes(List<Node> items, String path, String exactStream, List<PushConfig> existing,
            boolean idRequired) {
        Map<String, Where> ids = new HashMap<>();
        Map<String, String> firstByUrl = new HashMap<>();
        for (PushConfig p : existing) {
            ids.put(p.id(), Where.of("the id of a push of this route"));
            firstByUrl.put(p.url(), "push " + p.id() + " of this route");
        }
        List<PushConfig> bound = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Optional<PushConfig> push = push(items.get(i), itemPath, exactStream, ids, idRequired);
            if (push.isPresent()) {
                String first = firstByUrl.putIfAbsent(push.get().url(), itemPath);
                if (first != null) {
                    binder.errors.add(items.get(i), itemPath, "same destination as " + first);
                }
                bound.add(push.get());
            }
        }
        List<PushConfig> pushes = new ArrayList<>();
        for (PushConfig p : bound) {
            if (p.id().isEmpty()) {
                String id = Ids.unique(PushConfig.defaultId(p.url()), ids.keySet());
                ids.put(id, Where.of("a generated id"));
                p = p.withId(id);
            }
            pushes.add(p);
        }
        return pushes;
    }

    /**
     * One push sent to the API for {@code route}: checked as a push of the file would be, and against the route's
     * pushes (the same destination twice, an id taken). Gets an id when it has none.
     */
    Optional<PushConfig> pushBody(Node node, RouteConfig route) {
        Map<String, Where> ids = new HashMap<>();
        for (PushConfig p : route.pushes()) {
            ids.put(p.id(), Where.of("the id of a push of route " + route.id()));
        }
        String exact = route.isWildcard() ? null : route.stream();
        Optional<PushConfig> push = push(node, "", exact, ids, false);
        if (push.isPresent()) {
            Optional<PushConfig> same = route.pushes().stream().filter(p -> p.url().equals(push.get().url())).findFirst();
            if (same.isPresent()) {
                Node at = node instanceof MappingNode m ? m.getValue().stream()
                        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("url"))
                        .map(NodeTuple::getValueNode).findFirst().orElse(node) : node;
                binder.errors.add(at, "url", "same destination as push " + same.get().id() + " of route " + route.id());
                return Optional.empty();
            }
        }
        return push.map(p -> p.id().isEmpty() ? p.withId(Ids.unique(PushConfig.defaultId(p.url()), ids.keySet())) : p);
    }

    /** An explicit id: its syntax, and that {@code taken} (which it joins) does not hold it yet. */
    private Optional<String> id(Node node, String path, String what, Map<String, Where> taken) {
        return binder.string(node, path).filter(text -> {
            if (!Ids.valid(text)) {
                binder.errors.add(node, path, "an id is a letter or digit, then letters, digits, '.', '_' or '-', "
                        + "64 at most, got " + Binder.quote(text), "e.g. youtube-main");
                return false;
            }
            Where first = taken.putIfAbsent(text, Where.of(node));
            if (first != null) {
                binder.errors.add(node, path, "duplicate " + what + " id " + Binder.quote(text), first.hint(node));
                return false;
            }
            return true;
        });
    }

    private Optional<String> stream(Node node, String path) {
        return binder.string(node, path).filter(text -> {
            int slash = text.indexOf('/');
            String problem = null;
            if (text.chars().anyMatch(Character::isWhitespace)) {
                problem = "a stream name has no spaces";
            } else if (slash <= 0 || slash == text.length() - 1) {
                problem = "expected app/name";
            } else if (text.substring(0, slash).contains("*")) {
                problem = "the app part cannot be a wildcard";
            } else if (text.substring(slash + 1).contains("*") && !text.substring(slash + 1).equals("*")) {
                problem = "'*' must be the whole name part";
            }
            if (problem != null) {
                binder.errors.add(node, path, problem, "e.g. live/studio, or live/* for every stream of the app");
            }
            return problem == null;
        });
    }

    /**
     * {@code pull: URL}, or a mapping with {@code url} or {@code urls} (upstreams tried in order). A wildcard
     * route's pull runs per stream, on demand, so it must say {@code mode: onDemand} and put {@code {name}} in
     * every URL.
     */
    private Optional<PullConfig> pull(Node node, String path, boolean wildcard) {
        YamlMapping m = node instanceof MappingNode ? binder.mapping(node, path) : null;
        List<Node> urlNodes = new ArrayList<>();
        List<String> urlPaths = new ArrayList<>();
        if (m == null) {
            urlNodes.add(node);
            urlPaths.add(path);
        } else {
            Optional<Node> many = m.node("urls");
            Optional<Node> one = many.isPresent() ? m.node("url") : m.required("url");
            if (one.isPresent() && many.isPresent()) {
                binder.errors.add(many.get(), m.path("urls"), "give url or urls, not both",
                        "urls lists the upstreams in order; url is the one-upstream short form");
            } else if (one.isPresent()) {
                urlNodes.add(one.get());
                urlPaths.add(m.path("url"));
            } else if (many.isPresent()) {
                List<Node> items = binder.list(many.get(), m.path("urls"));
                if (items.isEmpty() && (Binder.isNull(many.get()) || many.get() instanceof SequenceNode)) {
                    binder.errors.add(many.get(), m.path("urls"), "needs at least one URL");
                }
                for (int i = 0; i < items.size(); i++) {
                    urlNodes.add(items.get(i));
                    urlPaths.add(m.path("urls") + "[" + i + "]");
                }
            }
        }
        List<String> texts = new ArrayList<>();
        List<RtmpUrl> parsed = new ArrayList<>();
        Map<String, Integer> firstByUrl = new HashMap<>();
        for (int i = 0; i < urlNodes.size(); i++) {
            Node urlNode = urlNodes.get(i);
            String urlPath = urlPaths.get(i);
            Optional<String> text = binder.string(urlNode, urlPath);
            Optional<RtmpUrl> url = text.flatMap(t -> urlTemplate(urlNode, urlPath, t));
            if (url.isEmpty()) {
                continue;
            }
            if (wildcard && !text.get().contains(PushConfig.NAME_PLACEHOLDER)) {
                binder.errors.add(urlNode, urlPath, "a wildcard route's pull URL needs {name}",
                        "{name} becomes the stream's name; without it every stream of the app pulls the same upstream");
                continue;
            }
            Integer first = firstByUrl.putIfAbsent(text.get(), i);
            if (first != null) {
                binder.errors.add(urlNode, urlPath, "same upstream as " + urlPaths.get(first));
                continue;
            }
            texts.add(text.get());
            parsed.add(url.get());
        }
        boolean complete = texts.size() == urlNodes.size() && !texts.isEmpty();
        RtmpUrl tlsWitness = parsed.stream().filter(RtmpUrl::tls).findFirst()
                .orElse(parsed.isEmpty() ? null : parsed.getFirst());
        if (m == null) {
            if (wildcard) {
                binder.errors.add(node, path, "a wildcard route pulls on demand only",
                        "write pull: {urls: [\"rtmp://origin/app/{name}\"], mode: onDemand}");
                return Optional.empty();
            }
            return complete ? Optional.of(new PullConfig(texts, PullConfig.Mode.ALWAYS, relay.reconnect(),
                    tls(tlsWitness, null))) : Optional.empty();
        }
        PullConfig.Mode mode = m.choice("mode", PullConfig.Mode.ALWAYS, "pull mode", PullConfig.Mode.values(),
                PullConfig.Mode::configName);
        if (wildcard && mode != PullConfig.Mode.ON_DEMAND) {
            binder.errors.add(m.node("mode").orElse(node), m.node("mode").isPresent() ? m.path("mode") : path,
                    "a wildcard route pulls on demand only",
                    "add mode: onDemand: each stream's pull starts with its first player");
        }
        ReconnectPolicy reconnect = RelaySection.reconnect(m.mapping("reconnect"), relay.reconnect());
        Optional<TlsConfig> tls = tls(tlsWitness, m);
        m.finish();
        return complete ? Optional.of(new PullConfig(texts, mode, reconnect, tls)) : Optional.empty();
    }

    /**
     * The pushes of exact routes run from startup, so their renditions alone must fit in transcode.maxEncoders
     * (wildcard routes' depend on what is published, and are counted when they start). Reported once, at the
     * first rendition over the cap.
     */
    private void countEncoder(String rendition, Node at, String path) {
        if (exactRenditions.add(rendition) && exactRenditions.size() == transcode.maxEncoders() + 1) {
            binder.errors.add(at, path, "%s is rendition %d of the exact routes' pushes, more than "
                    .formatted(rendition, exactRenditions.size()) + "transcode.maxEncoders (" + transcode.maxEncoders()
                    + ")", "raise transcode.maxEncoders, or let pushes of a stream share a profile");
        }
    }

    /**
     * One push. Its id is the node's (checked against and added to {@code ids}), or empty for the caller to make.
     *
     * @param exactStream the route's stream when it names one exactly, else null
     */
    private Optional<PushConfig> push(Node node, String path, String exactStream, Map<String, Where> ids,
            boolean idRequired) {
        YamlMapping m = node instanceof MappingNode ? binder.mapping(node, path) : null;
        Optional<Node> urlNode = m == null ? Optional.of(node) : m.required("url");
        String urlPath = m == null ? path : m.path("url");
        Optional<String> template = urlNode.flatMap(n -> binder.string(n, urlPath));
        Optional<RtmpUrl> url = template.flatMap(t -> urlTemplate(urlNode.get(), urlPath, t));
        if (m == null) {
            if (idRequired) {
                binder.errors.add(node, path, "missing required key 'id'", "write the push as a mapping: {id: ..., url: ...}");
            }
            return url.map(u -> new PushConfig(template.get(), server.chunkSizeBytes(), server.windowAckSizeBytes(),
                    server.peerBandwidthBytes(), tls(u, null), relay.reconnect(), Optional.empty()));
        }
        Optional<String> id = (idRequired ? m.required("id") : m.node("id")).flatMap(n -> id(n, m.path("id"), "push",
                ids));
        boolean enabled = m.bool("enabled", true);
        int chunkSize = (int) m.bytes("chunkSize", server.chunkSizeBytes(), ServerSection.MIN_CHUNK_SIZE,
                ServerSection.MAX_CHUNK_SIZE);
        long window = m.bytes("windowAckSize", server.windowAckSizeBytes(), ServerSection.MIN_WINDOW,
                ServerSection.MAX_WINDOW);
        long bandwidth = m.bytes("peerBandwidth", server.peerBandwidthBytes(), ServerSection.MIN_WINDOW,
                ServerSection.MAX_WINDOW);
        Optional<TlsConfig> tls = tls(url.orElse(null), m);
        ReconnectPolicy reconnect = RelaySection.reconnect(m.mapping("reconnect"), relay.reconnect());
        Optional<TranscodeProfile> profile = m.node("transcode").flatMap(n -> profile(n, m.path("transcode")));
        m.finish();
        if (exactStream != null && url.isPresent() && profile.isPresent()) {
            countEncoder(profile.get().renditionOf(exactStream), m.node("transcode").orElseThrow(), m.path("transcode"));
        }
        return url.map(u -> new PushConfig(template.get(), chunkSize, window, bandwidth, tls, reconnect, profile,
                id.orElse(""), enabled));
    }

    /**
     * Checks a pull or push URL with its placeholders ({@code {app}}, {@code {name}}) filled by sample values, so
     * the URL's shape is still checked.
     */
    private Optional<RtmpUrl> urlTemplate(Node node, String path, String template) {
        int open = template.indexOf('{');
        while (open >= 0) {
            int close = template.indexOf('}', open);
            String placeholder = close < 0 ? template.substring(open) : template.substring(open, close + 1);
            if (!placeholder.equals(PushConfig.APP_PLACEHOLDER) && !placeholder.equals(PushConfig.NAME_PLACEHOLDER)) {
                // Print the placeholder only if the file has it literally, not if it came from a variable.
                boolean literal = node instanceof ScalarNode s && s.getValue().contains(placeholder);
                String shown = literal ? " " + Binder.quote(placeholder) : "";
                binder.errors.add(node, path, "unknown placeholder" + shown, DidYouMean.hint(placeholder,
                        List.of(PushConfig.NAME_PLACEHOLDER, PushConfig.APP_PLACEHOLDER)));
                return Optional.empty();
            }
            open = template.indexOf('{', close);
        }
        String sample = template.replace(PushConfig.APP_PLACEHOLDER, "app")
                .replace(PushConfig.NAME_PLACEHOLDER, "name");
        return parseUrl(node, path, sample);
    }

    private Optional<RtmpUrl> parseUrl(Node node, String path, String text) {
        try {
            return Optional.of(RtmpUrl.parse(text));
        } catch (IllegalArgumentException e) {
            binder.errors.add(node, path, e.getMessage(), "e.g. rtmp://host:1935/app/stream");
            return Optional.empty();
        }
    }

    /** TLS settings for {@code url}: present for rtmps; a {@code tls} key on an rtmp URL is an error. */
    private Optional<TlsConfig> tls(RtmpUrl url, YamlMapping m) {
        Optional<Node> tlsNode = m == null ? Optional.empty() : m.node("tls");
        if (tlsNode.isEmpty()) {
            return url != null && url.tls() ? Optional.of(TlsConfig.DEFAULT) : Optional.empty();
        }
        YamlMapping t = binder.mapping(tlsNode.get(), m.path("tls"));
        Optional<Path> caFile = t.node("caFile").flatMap(n -> binder.string(n, t.path("caFile"))).map(Path::of);
        t.finish();
        if (url != null && !url.tls()) {
            binder.errors.add(tlsNode.get(), m.path("tls"), "tls is only for rtmps:// URLs",
                    "use an rtmps:// URL, or remove tls");
        }
        return url != null && url.tls() ? Optional.of(new TlsConfig(caFile)) : Optional.empty();
    }

    private Optional<TranscodeProfile> profile(Node node, String path) {
        return binder.scalar(node, path).flatMap(s -> {
            TranscodeProfile profile = transcode.profiles().get(s.value());
            if (profile == null) {
                binder.errors.add(node, path, "unknown transcode profile " + Binder.quote(s.shown()),
                        transcode.profiles().isEmpty() ? "define it under transcode.profiles"
                                : DidYouMean.hint(s.value(), transcode.profiles().keySet()));
            }
            return Optional.ofNullable(profile);
        });
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
