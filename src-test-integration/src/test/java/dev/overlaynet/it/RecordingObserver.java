package dev.overlaynet.it;

import dev.overlaynet.overlay.StepObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the steps and mutations an OverlayHost reports, and fails on
 * request at the {@code failAt}-th step (1-based) after {@link #reset}.
 */
final class RecordingObserver implements StepObserver {
    /** The injected failure, so a test can tell it from a real one. */
    static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String step) {
            super("injected failure before step: " + step);
        }
    }

    final List<String> steps = new ArrayList<>();
    final List<String> mutations = new ArrayList<>();
    private int failAt = -1;

    /** Clears the records; fail before step {@code failAt} from now on (-1: never). */
    RecordingObserver reset(int failAt) {
        steps.clear();
        mutations.clear();
        this.failAt = failAt;
        return this;
    }

    @Override
    public void beforeStep(String step) {
        steps.add(step);
        if (steps.size() == failAt) {
            throw new InjectedFailure(step);
        }
    }

    @Override
    public void mutated(String what) {
        mutations.add(what);
    }
}
