package dev.overlaynet.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import jnr.constants.platform.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network namespace, held open by a file descriptor so that the kernel
 * keeps it alive while this object is open.
 *
 * <p>Named namespaces are bind mounts under {@code /run/netns} with shared
 * propagation, exactly as {@code ip netns add} makes them: {@code ip netns}
 * sees ours and we see theirs.
 *
 * <pre>{@code
 * try (NetNs ns = NetNs.create("ns1")) {
 *     ns.sysctl("net.ipv4.ip_forward", "1");
 *     Process p = ns.start(new ProcessBuilder("ping", "-c1", "10.233.0.2"));
 *     int rc = p.waitFor();
 *     String name = ns.call(() -> java.net.NetworkInterface.getByIndex(1).getName());
 * } finally {
 *     NetNs.delete("ns1");
 * }
 * }</pre>
 *
 * <p>Threads: {@link #call} and everything that enters the namespace run on a
 * fresh platform thread that restores itself and then ends; the caller's
 * thread is never moved. Code run by {@link #call} must not start threads:
 * a thread inherits the namespace of the thread that creates it.
 */
public final class NetNs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetNs.class);
    /** Where iproute2 keeps named namespaces. */
    public static final Path RUN_NETNS = Path.of("/run/netns");
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MS_SHARED = 1 << 20;
    private static final int MNT_DETACH = 2;
    private static final Pattern SYSCTL_KEY = Pattern.compile("[A-Za-z0-9_.:@/-]+");
    private static final Object RUN_DIR_LOCK = new Object();

    private final int fd;
    private final String name;
    private final String path;
    private volatile boolean closed;

    private NetNs(int fd, String name, String path) {
        this.fd = fd;
        this.name = name;
        this.path = path;
    }

    // ---- opening --------------------------------------------------------------

    /**
     * Creates a named namespace, like {@code ip netns add NAME}, and returns it
     * open. Fails with EEXIST if the name is taken. Nothing is left behind on
     * failure.
     */
    public static NetNs create(String name) throws NetlinkException {
        validateName(name);
        LibC.Calls libc = Native.libc();
        Path file = RUN_NETNS.resolve(name);
        ensureRunDir(libc);
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new NetlinkException(Errno.EEXIST.intValue(), "netns create " + name,
                    "a namespace named " + name + " already exists", -1);
        } catch (IOException e) {
            throw new NetlinkException("netns create " + name, "cannot create " + file + ": " + e);
        }
        boolean ok = false;
        try {
            unshareAndBind(file.toString(), name);
            NetNs ns = openPath(file.toString(), name);
            ok = true;
            LOG.debug("created netns {}", name);
            return ns;
        } finally {
            if (!ok) {
                libc.umount2(file.toString(), MNT_DETACH);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("could not remove {} after failed create: {}", file, e.toString());
                }
            }
        }
    }

    /** iproute2's dance: make /run/netns a shared mount point so that our bind mounts propagate. */
    private static void ensureRunDir(LibC.Calls libc) throws NetlinkException {
        synchronized (RUN_DIR_LOCK) {
            try {
                Files.createDirectories(RUN_NETNS);
            } catch (IOException e) {
                throw new NetlinkException("netns", "cannot create " + RUN_NETNS + ": " + e);
            }
            String dir = RUN_NETNS.toString();
            boolean madeMountPoint = false;
            while (libc.mount("", dir, "none", MS_SHARED | MS_REC, null) != 0) {
                int e = Native.errno();
                if (e != Errno.EINVAL.intValue() || madeMountPoint) {
                    throw new NetlinkException(e, "mount --make-rshared " + dir, null, -1);
                }
                if (libc.mount(dir, dir, "none", MS_BIND | MS_REC, null) != 0) {
                    throw new NetlinkException(Native.errno(), "mount --rbind " + dir + " " + dir, null, -1);
                }
                madeMountPoint = true;
            }
        }
    }

    private static void unshareAndBind(String target, String name) throws NetlinkException {
        Object[] err = new Object[1];
        Thread t = new Thread(() -> {
            NsThreads.requirePlatformThread();
            LibC.Calls libc = Native.libc();
            int orig = libc.open("/proc/thread-self/ns/net", NsThreads.O_RDONLY | NsThreads.O_CLOEXEC, 0);
            if (orig < 0) {
                err[0] = new NetlinkException(Native.errno(), "open(/proc/thread-self/ns/net)", null, -1);
                return;
            }
            try {
                if (libc.unshare(NsThreads.CLONE_NEWNET) != 0) {
                    err[0] = new NetlinkException(Native.errno(), "unshare(CLONE_NEWNET) for " + name, null, -1);
                    return;
                }
                try {
                    if (libc.mount("/proc/thread-self/ns/net", target, "none", MS_BIND, null) != 0) {
                        err[0] = new NetlinkException(Native.errno(), "bind mount netns " + name, null, -1);
                    }
                } finally {
                    if (libc.setns(orig, NsThreads.CLONE_NEWNET) != 0) {
                        LOG.error("could not restore thread after creating netns {}; the thread is discarded", name);
                    }
                }
            } finally {
                libc.close(orig);
            }
        }, "overlaynet-netns-create");
        t.setDaemon(true);
        t.start();
        joinUninterruptibly(t);
        if (err[0] != null) {
            throw (NetlinkException) err[0];
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens the named namespace {@code /run/netns/NAME} (made by us or by {@code ip netns add}). */
    public static NetNs open(String name) throws NetlinkException {
        validateName(name);
        return openPath(RUN_NETNS.resolve(name).toString(), name);
    }

    /** Opens a namespace by path, e.g. {@code /proc/1234/ns/net} or a bind mount. */
    public static NetNs openPath(String path) throws NetlinkException {
        Objects.requireNonNull(path, "path");
        return openPath(path, null);
    }

    /** Opens the network namespace of process {@code pid}. */
    public static NetNs openPid(long pid) throws NetlinkException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " must be > 0");
        }
        return openPath("/proc/" + pid + "/ns/net", null);
    }

    /** Opens the calling thread's current network namespace. */
    public static NetNs current() throws NetlinkException {
        return openPath("/proc/thread-self/ns/net", null);
    }

    private static NetNs openPath(String path, String name) throws NetlinkException {
        int fd = Native.libc().open(path, NsThreads.O_RDONLY | NsThreads.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new NetlinkException(Native.errno(), "open netns " + (name != null ? name : path), null, -1);
        }
        return new NetNs(fd, name, path);
    }

    /** Names under {@code /run/netns}, sorted; empty when the directory does not exist. */
    public static List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(RUN_NETNS)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return Collections.emptyList();
        }
        Collections.sort(out);
        return out;
    }

    /** True when {@code /run/netns/NAME} exists. */
    public static boolean exists(String name) {
        validateName(name);
        return Files.exists(RUN_NETNS.resolve(name));
    }

    /**
     * Deletes a named namespace, like {@code ip netns delete NAME}: unmounts and
     * removes the name. The namespace itself dies when its last user (process,
     * open {@link NetNs} or socket) is gone. Fails with ENOENT if there is no
     * such name.
     */
    public static void delete(String name) throws NetlinkException {
        validateName(name);
        Path file = RUN_NETNS.resolve(name);
        if (!Files.exists(file)) {
            throw new NetlinkException(Errno.ENOENT.intValue(), "netns delete " + name,
                    "no namespace named " + name, -1);
        }
        LibC.Calls libc = Native.libc();
        if (libc.umount2(file.toString(), MNT_DETACH) != 0) {
            int e = Native.errno();
            if (e != Errno.EINVAL.intValue()) { // EINVAL: not mounted, just remove the file
                throw new NetlinkException(e, "umount netns " + name, null, -1);
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new NetlinkException("netns delete " + name, "cannot remove " + file + ": " + e);
        }
        LOG.debug("deleted netns {}", name);
    }

    /** Deletes the named namespace if present; true if it was there. */
    public static boolean deleteIfExists(String name) throws NetlinkException {
        if (!exists(name)) {
            return false;
        }
        try {
            delete(name);
            return true;
        } catch (NetlinkException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** A namespace name as iproute2 accepts it: a single path component. */
    public static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("netns name must not be empty");
        }
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("netns name \"" + name + "\" must be a single path component (no '/', not . or ..)");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("netns name is longer than 255 bytes");
        }
    }

    // ---- working inside -------------------------------------------------------------

    /** The name under /run/netns, or null for a namespace opened by path or pid. */
    public String name() {
        return name;
    }

    /** The path this namespace was opened from. */
    public String path() {
        return path;
    }

    /** The nsfs inode: equal inodes mean the same namespace. */
    public long inode() throws IOException {
        ensureOpen();
        return inodeOf(Path.of("/proc/self/fd/" + fd));
    }

    /**
     * The nsfs inode of a namespace file such as {@code /proc/PID/task/TID/ns/net}
     * or a bind mount under {@code /run/netns}: stat follows the (magic) link to
     * the namespace itself. Reading the link instead would return the mount path
     * for an fd opened from {@code /run/netns/NAME}.
     */
    public static long inodeOf(Path nsFile) throws IOException {
        Object ino = Files.getAttribute(nsFile, "unix:ino");
        return ((Number) ino).longValue();
    }

    /**
     * Runs {@code task} inside this namespace on a fresh platform thread and
     * returns its result. The task must not start threads.
     */
    public <T> T call(Callable<T> task) throws Exception {
        ensureOpen();
        Objects.requireNonNull(task, "task");
        return NsThreads.call(fd, describe(), task);
    }

    /** Runs {@code task} inside this namespace on a fresh platform thread. */
    public void run(Runnable task) throws Exception {
        Objects.requireNonNull(task, "task");
        call(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Starts a process inside this namespace, like {@code ip netns exec}.
     *
     * <p>The JDK waits for child processes on "process reaper" threads that it
     * creates from the thread that starts a process whenever none is idle. So
     * that such a thread is never born inside this namespace, an idle reaper is
     * made available from the caller's thread first, and starts through this
     * method are serialised. A process started at the same instant by other
     * code in the JVM (not through NetNs) could still take that idle reaper;
     * the worst case is one reaper thread living in this namespace until the
     * JDK retires it.
     */
    public Process start(ProcessBuilder pb) throws IOException {
        ensureOpen();
        Objects.requireNonNull(pb, "pb");
        try {
            synchronized (ProcessReaperWarmup.LOCK) {
                int idle = ProcessReaperWarmup.ensureIdleReaper();
                Process p = call(pb::start);
                ProcessReaperWarmup.awaitHandOff(idle, p);
                return p;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("start process in " + describe() + ": " + e, e);
        }
    }

    /** Reads a sysctl of this namespace, e.g. {@code net.ipv4.ip_forward}. */
    public String sysctl(String key) throws IOException {
        Path p = sysctlPath(key);
        try {
            return call(() -> Files.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("read sysctl " + key + " in " + describe() + ": " + e, e);
        }
    }

    /** Writes a sysctl of this namespace, e.g. {@code sysctl("net.ipv4.ip_forward", "1")}. */
    public void sysctl(String key, String value) throws IOException {
        Path p = sysctlPath(key);
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("sysctl value must be one line");
        }
        try {
            call(() -> Files.writeString(p, value));
        } catch (NoSuchFileException e) {
            throw new IOException("no sysctl " + key + " in " + describe(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The kernel's refusal (EINVAL for a value out of range, ...) comes as a bare
            // "Invalid argument"; say which key and value it was about.
            throw new IOException("write sysctl " + key + "=" + value + " in " + describe() + ": " + e.getMessage(), e);
        }
        LOG.debug("sysctl {}={} in {}", key, value, describe());
    }

    /**
     * Maps {@code net.ipv4.ip_forward} to {@code /proc/sys/net/ipv4/ip_forward}.
     * Keys with '/' are taken as paths below /proc/sys (for interface names that contain dots).
     */
    static Path sysctlPath(String key) {
        if (key == null || key.isEmpty() || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        if (key.indexOf('/') >= 0) {
            // The path form carries interface names, which may hold any byte but '/', ':' and
            // whitespace ("a..b", "eth+1", "é" are valid names): refuse only segments that
            // would leave /proc/sys/net.
            String[] segments = key.split("/", -1);
            for (String s : segments) {
                if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                    throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
                }
            }
        } else if (!SYSCTL_KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("bad sysctl key \"" + key + "\"");
        }
        if (!key.startsWith("net.") && !key.startsWith("net/")) {
            throw new IllegalArgumentException("sysctl \"" + key + "\" is not per network namespace (must start with net.)");
        }
        String rel = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        return Path.of("/proc/sys").resolve(rel);
    }

    private String describe() {
        return name != null ? "netns " + name : "netns " + path;
    }

    /**
     * The open namespace file descriptor, for attributes such as IFLA_NET_NS_FD
     * that name a namespace by fd. Owned by this object: do not close it.
     */
    public int fd() throws NetlinkException {
        ensureOpen();
        return fd;
    }

    private void ensureOpen() throws NetlinkException {
        if (closed) {
            throw new NetlinkException(Errno.EBADF.intValue(), describe(), "NetNs is closed", -1);
        }
    }

    /** Closes the descriptor; the namespace itself lives on while named or in use. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Native.libc().close(fd);
    }

    @Override
    public String toString() {
        return describe();
    }
}
