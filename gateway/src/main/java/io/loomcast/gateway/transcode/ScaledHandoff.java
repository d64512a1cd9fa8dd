package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Cascade scaling, for one decoded picture: the encoder thread of a larger rendition hands the picture it
 * scaled to the encoder thread of a smaller one, which scales that instead of the decoded source (720p to 360p
 * costs less than 1080p to 360p). The picture goes as a new reference to the same buffers (av_frame_clone):
 * nothing is copied, and the larger encoder's pool never writes into a buffer that is still referenced, so
 * neither thread can race the other.
 *
 * <p>The larger side either {@link #offer}s its picture or, when it does not scale this one (it dropped the
 * frame, skipped it for its frame rate, or failed), {@link #decline}s; its work item declines on release, so
 * the smaller side never waits for a picture that cannot come. The smaller side {@link #await}s it for a
 * bounded time and {@link #take}s it, falling back to the decoded source when nothing came; {@link #close}
 * frees what it did not take.
 */
final class ScaledHandoff {
    private enum State { PENDING, READY, DECLINED, CLOSED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    private State state = State.PENDING;
    private AVFrame picture;

    /** The larger side: a reference to {@code scaled} for the smaller side; never blocks. */
    void offer(AVFrame scaled) {
        lock.lock();
        try {
            if (state == State.PENDING) {
                picture = av_frame_clone(scaled);
                state = picture == null || picture.isNull() ? State.DECLINED : State.READY;
                settled.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The larger side: there is no picture for this frame. Does nothing once offered. */
    void decline() {
        lock.lock();
        try {
            if (state == State.PENDING) {
                state = State.DECLINED;
                settled.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The smaller side: waits up to {@code timeout} for the larger side to settle; false if it has not. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (state == State.PENDING && nanos > 0) {
                nanos = settled.awaitNanos(nanos);
            }
            return state != State.PENDING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The smaller side: the larger side's picture if it has offered one, else null (declined, or not yet: the
     * smaller side then scales the source, and a later offer is ignored). The caller owns what it gets and
     * frees it with av_frame_free.
     */
    AVFrame take() {
        lock.lock();
        try {
            AVFrame p = picture;
            picture = null;
            state = State.CLOSED;
            return p;
        } finally {
            lock.unlock();
        }
    }

    /** The smaller side is done with this frame: frees a picture it did not take; later offers are ignored. */
    void close() {
        lock.lock();
        try {
            if (picture != null) {
                av_frame_free(picture);
                picture = null;
            }
            state = State.CLOSED;
        } finally {
            lock.unlock();
        }
    }
}
