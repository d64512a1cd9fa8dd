package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One play on one NetStream of a connection: the subscription it plays, the message stream id its media goes
 * on, and what the player asked for since (play2 switch, seek, pause, receiveAudio, receiveVideo). The
 * connection's writer thread drains it; the frames' chunked bytes are shared with every other player at the
 * same chunk size and message stream id, as long as the player's clock is the stream's ({@link PlayerClock}).
 *
 * <p>Requests come from the session's reader thread and take effect on the writer thread, in order with the
 * media, so the player hears NetStream.Seek.Notify or onPlayStatus TransitionComplete exactly where the media
 * restarts or changes. A play2 switch subscribes to the new stream at its next keyframe and keeps playing the
 * old one until that keyframe is there.
 *
 * <p>Two threads may drain it, never at once: the connection's writer, and the {@link StreamFlusher} of its
 * stream while the player keeps up and has nothing of its own waiting ({@link #direct()}, {@link #quiet()}).
 * Both hold the connection's write lock while they do.
 */
public final class Playback {

    /** What the player hears when one of its own requests takes effect. */
    public enum Event {
        /** A play2 switch was accepted: onStatus NetStream.Play.Transition. */
        TRANSITION,
        /** The switch happened, just before the new stream's first frame: onPlayStatus TransitionComplete. */
        TRANSITION_COMPLETE,
        /** A live seek restarts at the newest keyframe: Seek.Notify, Stream Begin, Play.Start. */
        SEEK,
        PAUSE,
        /** Resumed at the newest keyframe, never the backlog. */
        UNPAUSE
    }

    /** Turns notices and events into the messages a player expects (Stream Begin, UnpublishNotify, ...). */
    public interface Notices {
        List<RawMessage> onNotice(StreamNotice notice, int messageStreamId, String streamPath);

        /** {@code timestampMs}: the player's time where the event happens (its next frame's). */
        List<RawMessage> onEvent(Event event, int messageStreamId, String streamPath, long timestampMs);

        /** A play2 switch completed, {@code waitedNanos} after it was asked for: for the log. */
        default void switched(String from, String to, long waitedNanos) {}

        /** The subscription was closed under us (too slow for too long): the reason goes in the log. */
        void closed(Playback playback, String reason);
    }

    /** What the reader thread asks of the writer thread. */
    private sealed interface Request {}

    private record SwitchTo(Subscription next, String streamPath, long requestedNanos) implements Request {}

    private record Seek() implements Request {}

    private record Pause(boolean pause) implements Request {}

    private final int messageStreamId;
    private final Notices notices;
    private final Runnable wakeWriter;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    /** Guards {@link #current}, {@link #pending} and {@link #closed} against a close from the reader thread. */
    private final ReentrantLock lock = new ReentrantLock();
    private final PlayerClock clock = new PlayerClock();
    private volatile Subscription current;
    private volatile String streamPath;
    private volatile SwitchTo pending;
    private volatile boolean receiveAudio = true;
    private volatile boolean receiveVideo = true;
    private boolean closed;
    private boolean paused;
    /** An event to say just before the next frame, with that frame's time (TransitionComplete). */
    private Event beforeNextFrame;
    private Frame.WireKey key;
    private boolean tookSomething;
    private boolean closedReported;
    /** Reused by whichever thread drains, under the connection's write lock. */
    private final List<Delivery> taken = new ArrayList<>();
    /** Whether the stream's flusher writes for this player, rather than the connection's writer thread. */
    private volatile boolean direct;
    /** Rounds in a row the writer thread found this player caught up: after a few, it goes direct again. */
    private int caughtUpRounds;
    private volatile StreamFlusher flusher;
    private volatile Outbound outbound;

    /** @param wakeWriter tells the connection's writer thread that a request waits (it runs {@link #collect}) */
    public Playback(Subscription subscription, String streamPath, int messageStreamId, Notices notices,
            Runnable wakeWriter) {
        this.current = subscription;
        this.streamPath = streamPath;
        this.messageStreamId = messageStreamId;
        this.notices = notices;
        this.wakeWriter = wakeWriter;
    }

    /** The subscription played now (a switch changes it). */
    public Subscription subscription() {
        return current;
    }

    /** The stream played now. */
    public String streamPath() {
        return streamPath;
    }

    /** The stream a play2 switch waits to move to, or null. */
    public String pendingStreamPath() {
        SwitchTo p = pending;
        return p == null ? null : p.streamPath();
    }

    public int messageStreamId() {
        return messageStreamId;
    }

    /**
     * play2 switch: move to {@code next} (subscribed at its next keyframe) once that keyframe is there. A switch
     * still waiting is replaced. The playback owns {@code next} from here on, and closes it.
     */
    public void switchTo(Subscription next, String nextPath) {
        request(new SwitchTo(next, nextPath, System.nanoTime()));
        if (isClosed()) {
            close(); // lost the race with close(): nobody else will close what was just queued
        }
    }

    /** A live seek: restart at the newest keyframe, timestamps still going forward. */
    public void seek() {
        request(new Seek());
    }

    /** NetStream.pause: while paused, frames are skipped; on resume the player restarts at the newest keyframe. */
    public void pause(boolean pause) {
        request(new Pause(pause));
    }

    private void request(Request r) {
        requests.add(r);
        wakeWriter.run();
    }

    /** Nothing of the player's own waits (a request, a switch): a flusher may serve it. */
    boolean quiet() {
        return requests.isEmpty() && pending == null;
    }

    boolean direct() {
        return direct;
    }

    void direct(boolean on) {
        direct = on;
        caughtUpRounds = 0;
    }

    /**
     * The writer thread's verdict after one of its rounds: {@code caughtUp} when the round emptied this queue
     * in one quick write. Returns true once the player has been caught up for enough rounds in a row to be
     * handed (back) to its stream's flusher.
     */
    boolean caughtUp(boolean caughtUp) {
        caughtUpRounds = caughtUp && quiet() ? caughtUpRounds + 1 : 0;
        return caughtUpRounds >= CAUGHT_UP_ROUNDS;
    }

    /** Rounds a player must keep up on its own writer before the flusher writes for it. */
    private static final int CAUGHT_UP_ROUNDS = 3;

    /** Media was queued for this player: its writer thread sends it, unless the stream's flusher does. */
    public void available() {
        Outbound o = outbound;
        if (o != null && (!direct || !quiet())) {
            o.mediaReady();
        }
    }

    void flusher(StreamFlusher f, Outbound o) {
        flusher = f;
        outbound = o;
    }

    StreamFlusher flusher() {
        return flusher;
    }

    Outbound outbound() {
        return outbound;
    }

    public void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    /** NetStream.receiveVideo: turning video back on waits for a keyframe. */
    public void receiveVideo(boolean on) {
        if (on && !receiveVideo) {
            current.queue().awaitKeyframe();
        }
        receiveVideo = on;
    }

    /** Stops playing: the subscription, any switch waiting, and any not yet taken up. Any thread; idempotent. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            current.close();
            SwitchTo p = pending;
            pending = null;
            if (p != null) {
                p.next().close();
            }
            for (Request r; (r = requests.poll()) != null; ) {
                if (r instanceof SwitchTo s) {
                    s.next().close();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds up to {@code maxItems} ready deliveries to {@code out}, without blocking; returns how many it took.
     * Called under the connection's write lock, by its writer thread or the stream's flusher.
     */
    int collect(WriteBatch out, ChunkWriter writer, int maxItems) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            int chunkSize = writer.chunkSizeBytes();
            if (key == null || key.chunkSizeBytes() != chunkSize) {
                key = new Frame.WireKey(chunkSize, messageStreamId);
            }
            for (Request r; (r = requests.poll()) != null; ) {
                apply(r, out, writer);
            }
            taken.clear();
            int n = current.queue().poll(taken, maxItems);
            if (n < 0) {
                if (!closedReported) {
                    closedReported = true;
                    notices.closed(this, current.queue().closedReason());
                }
                return 0;
            }
            deliver(taken, out, writer);
            taken.clear();
            if (pending != null) {
                n += trySwitch(out, writer, maxItems);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void apply(Request r, WriteBatch out, ChunkWriter writer) {
        switch (r) {
            case SwitchTo s -> {
                if (pending != null) {
                    pending.next().close(); // a newer switch replaces one still waiting for its keyframe
                }
                pending = s;
                say(notices.onEvent(Event.TRANSITION, messageStreamId, s.streamPath(), 0), out, writer);
            }
            case Seek s -> {
                current.rejoin();
                clock.rebase(PlayerClock.Rebase.FORWARD);
                say(notices.onEvent(Event.SEEK, messageStreamId, streamPath, 0), out, writer);
            }
            case Pause p -> {
                if (p.pause()) {
                    paused = true;
                    say(notices.onEvent(Event.PAUSE, messageStreamId, streamPath, 0), out, writer);
                } else {
                    if (paused) {
                        paused = false;
                        current.rejoin(); // the newest keyframe, never what piled up meanwhile
                        clock.rebase(PlayerClock.Rebase.FORWARD);
                    }
                    say(notices.onEvent(Event.UNPAUSE, messageStreamId, streamPath, 0), out, writer);
                }
            }
        }
    }

    /**
     * The new stream of a play2 switch has its keyframe (with its sequence headers before it): close the old
     * one and go on with the new, the timestamps continuing from the last one sent. Notices the new stream
     * queued before its first frame predate the switch, and are dropped.
     */
    private int trySwitch(WriteBatch out, ChunkWriter writer, int maxItems) {
        SwitchTo s = pending;
        taken.clear();
        int n = s.next().queue().poll(taken, maxItems);
        if (n < 0) {
            pending = null;
            s.next().close(); // shed by the hub before it ever played: keep the old stream
            return 0;
        }
        int first = 0;
        while (first < taken.size() && !(taken.get(first) instanceof Frame)) {
            first++;
        }
        if (first == taken.size()) {
            taken.clear();
            return n;
        }
        pending = null;
        Subscription old = current;
        String from = streamPath;
        current = s.next();
        streamPath = s.streamPath();
        old.close();
        clock.rebase(PlayerClock.Rebase.CONTINUE);
        beforeNextFrame = Event.TRANSITION_COMPLETE;
        notices.switched(from, s.streamPath(), System.nanoTime() - s.requestedNanos());
        deliver(taken.subList(first, taken.size()), out, writer);
        taken.clear();
        return n;
    }

    private void deliver(List<Delivery> batch, WriteBatch out, ChunkWriter writer) {
        tookSomething |= !batch.isEmpty();
        for (Delivery d : batch) {
            switch (d) {
                case Frame f -> {
                    if (skip(f)) {
                        continue;
                    }
                    long ts = clock.map(f);
                    if (beforeNextFrame != null) {
                        say(notices.onEvent(beforeNextFrame, messageStreamId, streamPath, ts), out, writer);
                        beforeNextFrame = null;
                    }
                    if (ts == f.timestampMs()) {
                        // The stream's own frame while the clocks agree: its bytes are shared with other players,
                        // from direct memory.
                        EncodedMessage m = f.wire(key, PlayerWire::message);
                        out.add(m);
                        writer.markWritten(m);
                    } else {
                        // This player's own clock: its bytes are its own, and a heap buffer is cheaper to make.
                        EncodedMessage m = ChunkWriter.encodeStandalone(PlayerWire.message(f.at(ts), key),
                                key.chunkSizeBytes());
                        out.add(m.bytes().duplicate());
                        writer.markWritten(m);
                    }
                }
                case StreamNotice n -> say(notices.onNotice(n, messageStreamId, streamPath), out, writer);
            }
        }
    }

    private static void say(List<RawMessage> messages, WriteBatch out, ChunkWriter writer) {
        for (RawMessage m : messages) {
            out.add(ByteBuffer.wrap(writer.encode(m)));
        }
    }

    /** The writer sent what {@link #collect} gave it: the player keeps up. */
    void written() {
        if (tookSomething) {
            tookSomething = false;
            current.queue().progressed();
        }
    }

    private boolean skip(Frame f) {
        if (paused) {
            return true; // unpausing restarts at a keyframe with the sequence headers, so nothing here is needed
        }
        return switch (f.kind()) {
            case AUDIO -> !receiveAudio && !f.config();
            case VIDEO -> !receiveVideo && !f.config();
            case DATA -> false;
        };
    }
}
