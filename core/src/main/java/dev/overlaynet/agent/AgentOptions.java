package dev.overlaynet.agent;

import dev.overlaynet.directory.Directory;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.overlay.StepObserver;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link OverlayAgent} runs: its host name in the directory, the
 * lease TTL (how soon other hosts forget it after a crash) and how often it
 * re-converges without a directory change, which repairs drift made outside
 * the library even if no event reports it.
 *
 * <pre>{@code
 * AgentOptions o = AgentOptions.builder().hostName("h1").leaseTtl(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class AgentOptions {
    private final String hostName;
    private final Duration leaseTtl;
    private final Duration resyncInterval;
    private final StepObserver stepObserver;

    private AgentOptions(Builder b) {
        hostName = b.hostName;
        leaseTtl = b.leaseTtl;
        resyncInterval = b.resyncInterval;
        stepObserver = b.stepObserver;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return this host's name in the directory} */
    public String hostName() {
        return hostName;
    }

    /** {@return the directory lease TTL} */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    /** {@return the longest time between two converge passes} */
    public Duration resyncInterval() {
        return resyncInterval;
    }

    /** {@return told of each step and change of the host's join, attaches and detaches; {@link StepObserver#NONE} by default} */
    public StepObserver stepObserver() {
        return stepObserver;
    }

    /** Builds {@link AgentOptions}; only the host name is required. */
    public static final class Builder {
        private String hostName;
        private Duration leaseTtl = Directory.DEFAULT_TTL;
        private Duration resyncInterval = Duration.ofSeconds(10);
        private StepObserver stepObserver = StepObserver.NONE;

        private Builder() {}

        /**
         * This host's name in the directory (required): letters, digits, '.', '_', '-'.
         *
         * @param name this host's name in the directory (required): letters, digits, '.', '_', '-'
         * @return this builder
         */
        public Builder hostName(String name) {
            this.hostName = name;
            return this;
        }

        /**
         * The directory lease TTL, 1 s to 1 h; default 5 s.
         *
         * @param ttl the directory lease TTL, 1 s to 1 h; default 5 s
         * @return this builder
         */
        public Builder leaseTtl(Duration ttl) {
            this.leaseTtl = ttl;
            return this;
        }

        /**
         * Re-converge at least this often, 100 ms to 1 h; default 10 s.
         *
         * @param interval re-converge at least this often, 100 ms to 1 h; default 10 s
         * @return this builder
         */
        public Builder resyncInterval(Duration interval) {
            this.resyncInterval = interval;
            return this;
        }

        /**
         * Tells {@code observer} of each step and kernel change of the host's join
         * and of every attach and detach (see {@link StepObserver}): for tracing,
         * and for tests that kill the agent between two steps.
         *
         * @param observer the observer; {@link StepObserver#NONE} for none
         * @return this builder
         */
        public Builder stepObserver(StepObserver observer) {
            this.stepObserver = Objects.requireNonNull(observer, "stepObserver");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code AgentOptions}
         */
        public AgentOptions build() {
            HostRecord.requireValidName("hostName", hostName);
            Objects.requireNonNull(leaseTtl, "leaseTtl");
            Objects.requireNonNull(resyncInterval, "resyncInterval");
            if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || leaseTtl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("leaseTtl " + leaseTtl + " out of range [1 s..1 h]");
            }
            if (resyncInterval.compareTo(Duration.ofMillis(100)) < 0 || resyncInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("resyncInterval " + resyncInterval + " out of range [100 ms..1 h]");
            }
            return new AgentOptions(this);
        }
    }
}
