package dev.overlaynet.etcd;

import static dev.overlaynet.etcd.EtcdDirectory.bytes;
import static dev.overlaynet.etcd.EtcdDirectory.text;

import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.DirectoryListener;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.ViewAssembler;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List, then watch from the listed revision + 1. Everything (responses, errors,
 * re-lists, deliveries) runs on one thread, so the view changes in revision
 * order. An event at or below the applied revision is ignored, so a resumed
 * watch that replays one is harmless; a compaction of the revisions we still
 * need forces a fresh list instead.
 */
final class EtcdWatch implements DirectoryWatch {
    private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

    private final EtcdDirectory dir;
    private final DirectoryListener listener;
    private final ViewAssembler view;
    private final ScheduledExecutorService loop;
    private volatile Thread loopThread;
    private Watch.Watcher watcher;
    private volatile long applied;
    private volatile long relists;
    private volatile boolean closed;
    private long backoffMs = 100;

    EtcdWatch(EtcdDirectory dir, DirectoryListener listener) {
        this.dir = dir;
        this.listener = listener;
        this.view = new ViewAssembler(dir.keys());
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overlaynet-etcd-watch-" + dir.overlayName());
            t.setDaemon(true);
            loopThread = t;
            return t;
        });
    }

    /** The first list runs on the caller's thread, so that an unreachable etcd is the caller's error. */
    void start() throws DirectoryException {
        GetResponse listed = dir.list();
        loop.execute(() -> {
            load(listed);
            open();
        });
    }

    private void load(GetResponse listed) {
        view.clear();
        for (KeyValue kv : listed.getKvs()) {
            view.apply(text(kv.getKey()), text(kv.getValue()));
        }
        applied = listed.getHeader().getRevision();
        deliver();
    }

    private void open() {
        if (closed) {
            return;
        }
        WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(applied + 1).build();
        watcher = dir.client().getWatchClient().watch(bytes(dir.keys().prefix()), opt, Watch.listener(
                r -> post(() -> onResponse(r)),
                t -> post(() -> onError(t)),
                () -> post(() -> onError(new IllegalStateException("watch completed")))));
    }

    /** Runs {@code task} on the loop unless the watch is closed (jetcd calls back while shutting down). */
    private void post(Runnable task) {
        if (closed) {
            return;
        }
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed in between: nothing may be delivered any more
        }
    }

    private void onResponse(WatchResponse r) {
        if (closed) {
            return;
        }
        backoffMs = 100;
        boolean changed = false;
        // One revision can hold several events (a lease expiry deletes all its keys at once),
        // and etcd sends a revision's events in one response: compare against the revision
        // applied before this response, not the one being applied.
        long before = applied;
        long newest = before;
        for (WatchEvent e : r.getEvents()) {
            KeyValue kv = e.getKeyValue();
            long rev = kv.getModRevision();
            if (rev <= before) {
                continue;
            }
            String key = text(kv.getKey());
            view.apply(key, e.getEventType() == WatchEvent.EventType.DELETE ? null : text(kv.getValue()));
            newest = Math.max(newest, rev);
            changed = true;
        }
        applied = newest;
        if (changed) {
            deliver();
        }
    }

    private void onError(Throwable t) {
        if (closed) {
            return;
        }
        closeWatcher();
        if (isCompacted(t)) {
            relist("revisions after " + applied + " were compacted");
        } else {
            log.warn("etcd watch of {} failed, resuming from revision {}: {}", dir.keys().prefix(), applied + 1,
                    t.toString());
            loop.schedule(this::open, nextBackoff(), TimeUnit.MILLISECONDS);
        }
    }

    private void relist(String reason) {
        if (closed) {
            return;
        }
        GetResponse listed;
        try {
            listed = dir.list();
        } catch (DirectoryException e) {
            log.warn("etcd re-list of {} failed, retrying: {}", dir.keys().prefix(), e.getMessage());
            loop.schedule(() -> relist(reason), nextBackoff(), TimeUnit.MILLISECONDS);
            return;
        }
        relists++;
        log.info("etcd watch of {} re-listed at revision {}: {}", dir.keys().prefix(),
                listed.getHeader().getRevision(), reason);
        listener.onRelist(reason);
        load(listed);
        open();
    }

    private long nextBackoff() {
        long b = backoffMs;
        backoffMs = Math.min(2000, backoffMs * 2);
        return b;
    }

    private static boolean isCompacted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CompactedException) {
                return true;
            }
            String m = String.valueOf(c.getMessage());
            if (m.contains("compacted")) {
                return true;
            }
        }
        return false;
    }

    private void deliver() {
        if (closed) {
            return;
        }
        try {
            listener.onView(view.view(applied));
        } catch (RuntimeException e) {
            log.error("directory listener failed on revision {}", applied, e);
        }
    }

    private void closeWatcher() {
        Watch.Watcher w = watcher;
        watcher = null;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                log.debug("closing a failed etcd watcher", e);
            }
        }
    }

    @Override
    public long revision() {
        return applied;
    }

    @Override
    public long relists() {
        return relists;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.execute(this::closeWatcher);
        loop.shutdown();
        if (Thread.currentThread() == loopThread) {
            return;
        }
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
    }
}
