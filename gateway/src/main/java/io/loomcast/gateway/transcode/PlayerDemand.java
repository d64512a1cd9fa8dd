package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.StreamName;
import io.loomcast.gateway.config.TranscodeProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The renditions players asked for ({@code app/name@profile}) and since when each has had none, so the
 * {@link Transcoder} runs them while watched and stops them an idle time after the last player left. Hub events
 * only say that something changed: two of them may arrive out of order, so every {@link #sweep} re-reads the
 * hub's own count. Not thread-safe; the transcoder calls it under its lock.
 */
final class PlayerDemand {

    /** A rendition's name taken apart: {@code live/show@360p} is source {@code live/show}, profile {@code 360p}. */
    record Request(String rendition, String source, String profile) {

        /**
         * The request a stream name makes, or empty when it is not {@code source@profile} with {@code source} a
         * valid {@code app/name} that is not itself a rendition. Whether the profile exists is not checked here.
         */
        static Optional<Request> parse(String name) {
            int at = name.lastIndexOf(TranscodeProfile.RENDITION_SEPARATOR);
            if (at < 0) {
                return Optional.empty();
            }
            String source = name.substring(0, at);
            String profile = name.substring(at + 1);
            if (profile.isEmpty() || TranscodeProfile.isRendition(source)) {
                return Optional.empty();
            }
            try {
                StreamName.parse(source);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return Optional.of(new Request(name, source, profile));
        }
    }

    private static final class Entry {
        final Request request;
        boolean watched = true;
        long idleSinceNanos;
        /** Refused for the encoder cap, and said so in the log: said once per refusal. */
        boolean refused;

        Entry(Request request) {
            this.request = request;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Records that {@code r} has {@code players} players now; returns whether players newly want it. */
    boolean observe(Request r, int players, long nowNanos) {
        Entry e = entries.get(r.rendition());
        if (players > 0) {
            if (e == null) {
                entries.put(r.rendition(), new Entry(r));
                return true;
            }
            e.watched = true;
        } else if (e != null && e.watched) {
            e.watched = false;
            e.idleSinceNanos = nowNanos;
        }
        return false;
    }

    /**
     * Re-reads each rendition's players with {@code players} and forgets those that have had none for
     * {@code idle}. Returns the renditions it forgot.
     */
    List<Request> sweep(ToIntFunction<String> players, long nowNanos, Duration idle) {
        List<Request> forgotten = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            observe(e.request, players.applyAsInt(e.request.rendition()), nowNanos);
            if (!e.watched && nowNanos - e.idleSinceNanos >= idle.toNanos()) {
                it.remove();
                forgotten.add(e.request);
            }
        }
        return forgotten;
    }

    /** The profiles players want of {@code source} (watched, or within the idle time), in the order asked. */
    List<String> profilesOf(String source) {
        return entries.values().stream().filter(e -> e.request.source().equals(source))
                .map(e -> e.request.profile()).toList();
    }

    /** Every source some player wants a rendition of. */
    Set<String> sources() {
        Set<String> out = new LinkedHashSet<>();
        entries.values().forEach(e -> out.add(e.request.source()));
        return out;
    }

    /** Sources with a rendition refused for the cap that still has players: worth another try. */
    Set<String> refusedSources() {
        Set<String> out = new LinkedHashSet<>();
        entries.values().stream().filter(e -> e.refused && e.watched).forEach(e -> out.add(e.request.source()));
        return out;
    }

    /** Marks {@code rendition} refused; returns true the first time, so the refusal is logged once. */
    boolean refuse(String rendition) {
        Entry e = entries.get(rendition);
        if (e == null || e.refused) {
            return false;
        }
        e.refused = true;
        return true;
    }

    /** Marks {@code rendition} running; returns whether it had been refused before. */
    boolean admit(String rendition) {
        Entry e = entries.get(rendition);
        boolean was = e != null && e.refused;
        if (e != null) {
            e.refused = false;
        }
        return was;
    }

    /** Forgets the renditions that {@code keep} rejects (a reload removed their profile, or turned this off). */
    void retain(Predicate<Request> keep) {
        entries.values().removeIf(e -> !keep.test(e.request));
    }
}
