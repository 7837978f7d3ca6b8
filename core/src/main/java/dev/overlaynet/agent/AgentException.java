package dev.overlaynet.agent;

/**
 * An agent operation that did not complete: joining, attaching, detaching or
 * leaving failed in the kernel or in the directory. The cause says which;
 * what the failed call had changed is rolled back (see {@code OverlayHost}).
 *
 * <pre>{@code
 * try {
 *     agent.attach(ns);
 * } catch (AgentException e) {
 *     log.error("attach failed: {}", e.getMessage(), e.getCause());
 * }
 * }</pre>
 */
public final class AgentException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A failure of {@code message}'s step; the cause's message is appended.
     *
     * @param message what the agent was doing
     * @param cause why it failed, or null
     */
    public AgentException(String message, Throwable cause) {
        super(message + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }
}
