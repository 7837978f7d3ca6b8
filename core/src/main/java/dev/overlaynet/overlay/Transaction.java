package dev.overlaynet.overlay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo log of one overlay operation: each step that changed something
 * leaves an undo action; on failure they run in reverse, so a failed call
 * leaves nothing half-built.
 */
final class Transaction {
    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    /** A step: returns its undo action, or null when it changed nothing. */
    @FunctionalInterface
    interface Step {
        Undo apply() throws IOException;
    }

    /** Reverts one step. */
    @FunctionalInterface
    interface Undo {
        void run() throws IOException;
    }

    private final Deque<Undo> undo = new ArrayDeque<>();
    private final StepObserver observer;

    Transaction(StepObserver observer) {
        this.observer = observer;
    }

    void step(String name, Step s) throws IOException {
        observer.beforeStep(name);
        Undo u = s.apply();
        if (u != null) {
            undo.push(u);
        }
    }

    /** True when no step taken so far changed anything (there is nothing to undo). */
    boolean isEmpty() {
        return undo.isEmpty();
    }

    /** Reverts every step taken so far, newest first; failures are attached to {@code cause}. */
    void rollback(Throwable cause) {
        LOG.debug("rolling back {} step(s) after: {}", undo.size(), cause.toString());
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
