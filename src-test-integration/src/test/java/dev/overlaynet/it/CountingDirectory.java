package dev.overlaynet.it;

import dev.overlaynet.directory.Directory;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.DirectoryListener;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A {@link Directory} that tells a {@link Points} counter before and after
 * every call it delegates, on the directory and on the leases it hands out:
 * {@link AgentCrashPointMain} halts the JVM there. A halt "after" a write
 * is the interesting one: the store applied it, the caller never saw the reply.
 */
final class CountingDirectory implements Directory {
    /** Told of each directory call. */
    interface Points {
        /**
         * Called before ({@code done} false) and after ({@code done} true) a delegated call.
         *
         * @param call what is called, e.g. "allocate h1"
         * @param done whether the call has returned
         */
        void directory(String call, boolean done);
    }

    /** A directory call, as a lambda that may throw. */
    private interface Call<T> {
        T run() throws DirectoryException;
    }

    private final Directory delegate;
    private final Points points;

    CountingDirectory(Directory delegate, Points points) {
        this.delegate = delegate;
        this.points = points;
    }

    private <T> T call(String what, Call<T> c) throws DirectoryException {
        points.directory(what, false);
        T result = c.run();
        points.directory(what, true);
        return result;
    }

    @Override
    public String overlayName() {
        return delegate.overlayName();
    }

    @Override
    public Overlay ensureSpec(Overlay spec) throws DirectoryException {
        return call("ensureSpec", () -> delegate.ensureSpec(spec));
    }

    @Override
    public HostLease register(HostRecord host, Duration ttl) throws DirectoryException {
        return new Lease(call("register " + host.name(), () -> delegate.register(host, ttl)));
    }

    @Override
    public InetAddress allocate(String host) throws DirectoryException {
        return call("allocate " + host, () -> delegate.allocate(host));
    }

    @Override
    public boolean claim(InetAddress ip, String host) throws DirectoryException {
        return call("claim " + ip.getHostAddress() + " " + host, () -> delegate.claim(ip, host));
    }

    @Override
    public boolean release(InetAddress ip, String host) throws DirectoryException {
        return call("release " + ip.getHostAddress() + " " + host, () -> delegate.release(ip, host));
    }

    @Override
    public DirectoryView view() throws DirectoryException {
        return call("view", delegate::view);
    }

    @Override
    public DirectoryWatch watch(DirectoryListener listener) throws DirectoryException {
        return call("watch", () -> delegate.watch(listener));
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The lease, counted the same way. */
    private final class Lease implements HostLease {
        private final HostLease lease;

        Lease(HostLease lease) {
            this.lease = lease;
        }

        @Override
        public HostRecord host() {
            return lease.host();
        }

        @Override
        public void publish(EndpointRecord endpoint) throws DirectoryException {
            call("publish " + endpoint.ip().getHostAddress(), () -> {
                lease.publish(endpoint);
                return null;
            });
        }

        @Override
        public void withdraw(InetAddress ip) throws DirectoryException {
            call("withdraw " + ip.getHostAddress(), () -> {
                lease.withdraw(ip);
                return null;
            });
        }

        @Override
        public boolean isAlive() {
            return lease.isAlive(); // asked on every converge pass; writes nothing while alive
        }

        @Override
        public void abandon() {
            points.directory("abandon lease", false);
            lease.abandon();
            points.directory("abandon lease", true);
        }

        @Override
        public void close() throws DirectoryException {
            call("revoke lease", () -> {
                lease.close();
                return null;
            });
        }
    }
}
