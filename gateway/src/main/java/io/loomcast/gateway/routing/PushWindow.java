package io.loomcast.gateway.routing;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merge window of every push in a relay, kept by one timer thread (issue 13, "Relay"). A frame for a push
 * that keeps up is held, not sent: the first one held arms the timer, and when the window is over the timer
 * sends what each held push has, with one non-blocking write per push. A push costs no thread wake-up and no
 * timer of its own, so ten pushes at a 50 ms window cost one wake-up every 50 ms, not ten parks and ten timers.
 *
 * <p>The timer sends early rather than late: pushes held after it armed go out with the others when it fires.
 * What the socket does not take whole, and anything else, goes to the push's own thread, as without a window.
 *
 * <p>A platform thread: its timed wait is one futex, where a virtual thread's needs the scheduler's timer too.
 */
final class PushWindow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushWindow.class);

    /** A push with frames held for the window. */
    interface Held {
        /** The window is over: send what is held, or hand it to the push's own thread. On the timer's thread. */
        void windowOver();
    }

    private final long windowNanos;
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    /** When the armed window ends; 0 while nothing is held. */
    private final AtomicLong deadline = new AtomicLong();
    private final Thread timer;
    private volatile boolean running = true;

    PushWindow(long windowNanos) {
        this.windowNanos = windowNanos;
        this.timer = Thread.ofPlatform().daemon().name("push-window").unstarted(this::run);
        timer.start();
    }

    /**
     * {@code push} holds frames now; call once until its {@link Held#windowOver()} runs. On the delivering
     * thread: it arms the timer when nothing else is held, and never blocks.
     */
    void hold(Held push) {
        held.add(push);
        if (deadline.get() == 0 && deadline.compareAndSet(0, nonZero(System.nanoTime() + windowNanos))) {
            LockSupport.unpark(timer);
        }
    }

    private static long nonZero(long t) {
        return t == 0 ? 1 : t;
    }

    private void run() {
        while (running) {
            long d = deadline.get();
            if (d == 0) {
                LockSupport.park(this);
                continue;
            }
            long left = d - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
                continue;
            }
            fire();
        }
    }

    /** The window is over: sends what every held push has. Its own method, so the JIT compiles it. */
    private void fire() {
        // Disarm first: a push held from here on arms the next window, whether or not this pass takes it too.
        deadline.set(0);
        for (Held h; (h = held.poll()) != null; ) {
            try {
                h.windowOver();
            } catch (RuntimeException e) {
                // One push's failure must not leave the others' frames held.
                log.warn("a push's merge window: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(timer);
    }
}
