package io.loomcast.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * What happens to one local stream, or to every stream of an app: where it is pulled from, where it is pushed.
 *
 * @param stream {@code app/name}, or {@code app/*} for every stream of the app
 * @param pull   the upstreams this stream is fetched from; on a wildcard route, on demand, per stream
 * @param pushes destinations the stream is sent to, in file order
 * @param id     how the API names the route: the file's {@code id}, or one made from the stream ({@link #defaultId})
 */
public record RouteConfig(String stream, Optional<PullConfig> pull, List<PushConfig> pushes, String id) {

    /** The name part that matches every stream of the app. */
    public static final String WILDCARD = "*";

    public RouteConfig {
        pushes = List.copyOf(pushes);
    }

    /** A route named by {@link #defaultId}. */
    public RouteConfig(String stream, Optional<PullConfig> pull, List<PushConfig> pushes) {
        this(stream, pull, pushes, defaultId(stream));
    }

    /**
     * The id a route gets when the file gives none: its stream with every character an id may not hold as
     * {@code -}, and the wildcard as {@code all}: {@code live/studio} is {@code live-studio}, {@code live/*} is
     * {@code live-all}. Two routes that come out the same are told apart by the binder ({@code -2}, ...).
     */
    public static String defaultId(String stream) {
        String s = stream.endsWith("/" + WILDCARD) ? stream.substring(0, stream.length() - 1) + "all" : stream;
        return Ids.slug(s);
    }

    /** The push whose {@link PushConfig#id()} is {@code pushId}. */
    public Optional<PushConfig> push(String pushId) {
        return pushes.stream().filter(p -> p.id().equals(pushId)).findFirst();
    }

    /** The same route, named {@code newId}. */
    public RouteConfig withId(String newId) {
        return new RouteConfig(stream, pull, pushes, newId);
    }

    /** The same route with {@code next} as its pushes. */
    public RouteConfig withPushes(List<PushConfig> next) {
        return new RouteConfig(stream, pull, next, id);
    }

    /** The app part of {@link #stream}. */
    public String app() {
        return stream.substring(0, stream.indexOf('/'));
    }

    /** Whether this route covers every stream of its app ({@code live/*}). */
    public boolean isWildcard() {
        return stream.endsWith("/" + WILDCARD);
    }

    /**
     * Whether the route both pulls and pushes: a restream job, which must run on exactly one replica of a
     * cluster (else each replica would push its own copy). Routes fed by a publisher run where it publishes.
     */
    public boolean pullsAndPushes() {
        return pull.isPresent() && !pushes.isEmpty();
    }

    /** Whether this route applies to {@code streamName} ({@code app/name}). */
    public boolean matches(String streamName) {
        int slash = streamName.indexOf('/');
        if (slash <= 0 || slash == streamName.length() - 1) {
            return false;
        }
        return isWildcard() ? streamName.substring(0, slash).equals(app()) : streamName.equals(stream);
    }

    /** Whether this route applies to {@code name}. */
    public boolean matches(StreamName name) {
        return matches(name.toString());
    }

    /** The push URLs for {@code name}, with {@code {app}} and {@code {name}} filled in. Secrets included. */
    public List<String> pushUrlsFor(StreamName name) {
        return pushes.stream().map(p -> p.urlFor(name)).toList();
    }
}
