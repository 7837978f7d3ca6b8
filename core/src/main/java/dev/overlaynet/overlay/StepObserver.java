package dev.overlaynet.overlay;

/**
 * Sees every step an {@link OverlayHost} takes: for tracing, metrics and
 * fault injection in tests. A RuntimeException thrown from
 * {@link #beforeStep} fails the operation, which then rolls back what it
 * created and rethrows that exception unchanged.
 *
 * <pre>{@code
 * StepObserver log = new StepObserver() {
 *     public void beforeStep(String step) { log.info("-> " + step); }
 *     public void mutated(String what) { log.info("   changed " + what); }
 * };
 * }</pre>
 */
public interface StepObserver {
    /**
     * Called before each step that may change the kernel's state.
     *
     * @param step the step's name
     */
    default void beforeStep(String step) {}

    /**
     * Called after each change actually sent to the kernel. A RuntimeException
     * thrown from here is logged and ignored (the change is already made, and
     * its undo must not be lost); fail from {@link #beforeStep} instead.
     *
     * @param what the change, e.g. {@code master vxlan0 br0}
     */
    default void mutated(String what) {}

    /** Observes nothing. */
    StepObserver NONE = new StepObserver() {};
}
