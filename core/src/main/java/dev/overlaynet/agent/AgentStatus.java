package dev.overlaynet.agent;

/**
 * A snapshot of an {@link OverlayAgent}'s progress, for logs, health checks
 * and tests.
 *
 * <pre>{@code
 * AgentStatus s = agent.status();
 * log.info("revision {} peers {} remotes {} last {}", s.revision(), s.peers(), s.remotes(), s.lastReport());
 * }</pre>
 *
 * @param host this host's name in the directory
 * @param revision the directory revision the kernel was last converged to (0 before the first)
 * @param peers live peer hosts in that revision
 * @param remotes remote endpoints in that revision
 * @param localEndpoints containers this agent has attached
 * @param passes converge passes run so far
 * @param lastReport the last pass's report, or null before the first
 * @param leaseAlive whether the host's directory lease is alive
 * @param rejectedRecords directory records skipped as malformed or foreign in that revision
 */
public record AgentStatus(String host, long revision, int peers, int remotes, int localEndpoints, long passes,
        ConvergeReport lastReport, boolean leaseAlive, int rejectedRecords) {}
