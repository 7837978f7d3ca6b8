package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running subscription started by {@link Monitor}: its events, its
 * counters and its resync reports. Close it to stop delivery (promptly, also
 * under load) and release its sockets and threads.
 *
 * <p>Iteration ({@link #take()}, {@link #poll}, {@link #iterator()},
 * {@link #stream()}) blocks the calling thread, virtual threads included,
 * and ends when the subscription is closed. With a listener
 * ({@link Monitor#subscribe(Executor, Consumer)}) events are pushed instead
 * and iteration is not available.
 *
 * <pre>{@code
 * Subscription s = nl.monitor().neighbours().subscribe();
 * Thread.ofVirtual().start(() -> s.stream().forEach(e -> log.info("{}", e)));
 * ...
 * s.close();
 * }</pre>
 */
public final class Subscription implements AutoCloseable, Iterable<MonitorEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    private static final MonitorEvent END = MonitorEvent.synced(null);
    private static final int KEPT_RESYNCS = 256;

    private final Monitor config;
    private final Executor executor;
    private final Consumer<MonitorEvent> listener;
    private final BlockingQueue<MonitorEvent> events;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final List<Resync> resyncs = new ArrayList<>();
    private final CountDownLatch firstSync = new CountDownLatch(1);
    private long resyncCount;
    private volatile Throwable failure;
    private final MonitorEngine engine;

    Subscription(Monitor config, Executor executor, Consumer<MonitorEvent> listener) {
        this.config = config;
        this.executor = executor;
        this.listener = listener;
        this.events = new ArrayBlockingQueue<>(config.events() + 1);
        this.engine = new MonitorEngine(config, this);
    }

    void start() throws NetlinkException {
        engine.start();
    }

    // ---- consumer side ----------------------------------------------------------------

    /**
     * The next event, waiting for it; null once the subscription is closed
     * (or failed: see {@link #failure()}) and no event is left.
     *
     * @return the event, or null at the end
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public MonitorEvent take() throws InterruptedException {
        requireIterable();
        MonitorEvent e = events.take();
        return unwrap(e);
    }

    /**
     * {@return the next event, waiting at most {@code timeout}; null on timeout or once closed}
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public MonitorEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        requireIterable();
        return unwrap(events.poll(timeout, unit));
    }

    private MonitorEvent unwrap(MonitorEvent e) {
        if (e == END) {
            events.offer(END); // for the next taker
            return null;
        }
        return e;
    }

    private void requireIterable() {
        if (listener != null) {
            throw new IllegalStateException("this subscription delivers to a listener; it cannot also be iterated");
        }
    }

    /** Blocks until the next event; ends when the subscription is closed. An interrupt ends it too. */
    @Override
    public Iterator<MonitorEvent> iterator() {
        requireIterable();
        return new Iterator<>() {
            private MonitorEvent next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    next = take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    next = null;
                }
                done = next == null;
                return !done;
            }

            @Override
            public MonitorEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                MonitorEvent e = next;
                next = null;
                return e;
            }
        };
    }

    /** {@return the events as a sequential stream that ends when the subscription is closed} */
    public Stream<MonitorEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }

    /**
     * Waits until the first snapshot has been delivered (its SYNCED event queued); false on timeout.
     *
     * @param timeout how long to wait
     * @return true once synced, false on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return firstSync.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- engine side -------------------------------------------------------------------

    /** Queues {@code e} for the consumer, waiting while the queue is full. */
    void deliver(MonitorEvent e) throws InterruptedException {
        if (closed.get()) {
            throw new InterruptedException("subscription closed");
        }
        events.put(e);
        delivered.incrementAndGet();
        if (listener != null) {
            schedule();
        }
    }

    void resynced(Resync r) {
        synchronized (resyncs) {
            resyncCount++;
            if (resyncs.size() == KEPT_RESYNCS) {
                resyncs.remove(0);
            }
            resyncs.add(r);
        }
        firstSync.countDown();
    }

    void ended(Throwable t) {
        if (t != null) {
            failure = t;
            LOG.warn("subscription failed and stopped: {}", t.toString());
        }
        firstSync.countDown();
        closed.set(true);
        if (!events.offer(END)) {
            events.clear();
            events.offer(END);
        }
        if (listener != null) {
            schedule();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                scheduled.set(false);
                LOG.warn("executor refused the subscription's delivery task: {}", e.toString());
            }
        }
    }

    private void drain() {
        try {
            for (int n = 0; n < 1024; n++) {
                MonitorEvent e = events.poll();
                if (e == null) {
                    break;
                }
                if (e == END) {
                    events.clear();
                    return;
                }
                try {
                    listener.accept(e);
                } catch (RuntimeException x) {
                    LOG.warn("subscription listener threw on {}: {}", e, x.toString());
                }
            }
        } finally {
            scheduled.set(false);
        }
        if (!events.isEmpty()) {
            schedule();
        }
    }

    // ---- reports -----------------------------------------------------------------------

    /**
     * Asks for a re-dump now (e.g. when drift is suspected): the difference
     * and a SYNCED event follow, as after a loss. Returns at once.
     */
    public void resync() {
        engine.requestResync();
    }

    /** {@return the latest resyncs (up to 256), oldest first; the first is the initial list} */
    public List<Resync> resyncs() {
        synchronized (resyncs) {
            return List.copyOf(resyncs);
        }
    }

    /** {@return how many resyncs ran, the initial list included} */
    public long resyncCount() {
        synchronized (resyncs) {
            return resyncCount;
        }
    }

    /** {@return times the kernel reported lost notifications (ENOBUFS) on the subscription's sockets} */
    public long overruns() {
        return engine.overruns();
    }

    /** {@return datagrams the reader dropped because the subscription's buffer was full} */
    public long bufferDrops() {
        return engine.bufferDrops();
    }

    /** {@return datagrams dropped because their sender was not the kernel} */
    public long forgedDropped() {
        return engine.forged();
    }

    /** {@return events queued for the consumer so far (SYNCED markers included)} */
    public long delivered() {
        return delivered.get();
    }

    /** {@return the receive buffer the kernel granted the route event socket (bytes, doubled by the kernel)} */
    public int receiveBufferBytes() {
        return engine.receiveBufferBytes();
    }

    /** {@return the netlink port id (nl_pid) of the route event socket, or 0 when it only watches nftables} */
    public int eventPortId() {
        return engine.eventPortId();
    }

    /** {@return the error that stopped the subscription, or null} */
    public Throwable failure() {
        return failure;
    }

    /** {@return true once {@link #close()} was called or delivery ended on its own (a failure, for one)} */
    public boolean isClosed() {
        return closed.get();
    }

    /** The monitor configuration this subscription runs. */
    Monitor config() {
        return config;
    }

    /**
     * Stops delivery and releases the sockets and threads; events not yet
     * taken are discarded. Prompt under load (the reader is woken, not timed
     * out). Idempotent; may be called from the listener.
     */
    @Override
    public void close() {
        closed.set(true);
        engine.stop();
        events.clear();
        events.offer(END);
    }
}
