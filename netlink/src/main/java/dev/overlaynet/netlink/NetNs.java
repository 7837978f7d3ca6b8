package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.Native;
import dev.overlaynet.netlink.internal.NsThreads;
import dev.overlaynet.netlink.internal.ProcFiles;
import dev.overlaynet.netlink.internal.ProcessReaperWarmup;
import dev.overlaynet.netlink.internal.ffi.LibC;

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
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
    /**
     * Read lock: the descriptor number is being used (duplicated, stat'ed,
     * sent). Write lock: close. Without it a close between the open check and
     * the use lets the number go to another file, and a call runs in whatever
     * namespace took it.
     */
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();

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
     *
     * @param name the name under {@code /run/netns}: one path component of at most 255 bytes
     * @return the new namespace, open; the caller closes it
     * @throws NetlinkException EEXIST if the name is taken, or the mount or unshare failed (EPERM without root)
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

    /**
     * Opens the named namespace {@code /run/netns/NAME} (made by us or by {@code ip netns add}).
     *
     * @param name the name under {@code /run/netns}
     * @return the namespace, open; the caller closes it
     * @throws NetlinkException ENOENT if there is no such name
     */
    public static NetNs open(String name) throws NetlinkException {
        validateName(name);
        return openPath(RUN_NETNS.resolve(name).toString(), name);
    }

    /**
     * Opens a namespace by path, e.g. {@code /proc/1234/ns/net} or a bind mount.
     *
     * @param path a namespace file
     * @return the namespace, open; the caller closes it
     * @throws NetlinkException if the file cannot be opened
     */
    public static NetNs openPath(String path) throws NetlinkException {
        Objects.requireNonNull(path, "path");
        return openPath(path, null);
    }

    /**
     * Opens the network namespace of process {@code pid}.
     *
     * @param pid a process id, greater than 0
     * @return the namespace, open; the caller closes it
     * @throws NetlinkException ENOENT if there is no such process
     */
    public static NetNs openPid(long pid) throws NetlinkException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " must be > 0");
        }
        return openPath("/proc/" + pid + "/ns/net", null);
    }

    /**
     * Opens the calling thread's current network namespace.
     *
     * @return the namespace, open; the caller closes it
     * @throws NetlinkException if {@code /proc/thread-self/ns/net} cannot be opened
     */
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

    /**
     * Names under {@code /run/netns}, sorted; empty when the directory does not exist.
     *
     * @return the names, sorted
     * @throws IOException if the directory cannot be read
     */
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

    /**
     * {@return true when {@code /run/netns/NAME} exists}
     *
     * @param name the name under {@code /run/netns}
     */
    public static boolean exists(String name) {
        validateName(name);
        return Files.exists(RUN_NETNS.resolve(name));
    }

    /**
     * Deletes a named namespace, like {@code ip netns delete NAME}: unmounts and
     * removes the name. The namespace itself dies when its last user (process,
     * open {@link NetNs} or socket) is gone. Fails with ENOENT if there is no
     * such name.
     *
     * @param name the name under {@code /run/netns}
     * @throws NetlinkException ENOENT if there is no such name, or the unmount or removal failed
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

    /**
     * Deletes the named namespace if present; true if it was there.
     *
     * @param name the name under {@code /run/netns}
     * @return true if the name was there and is now gone
     * @throws NetlinkException if the unmount or removal failed
     */
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

    /**
     * A namespace name as iproute2 accepts it: a single path component.
     *
     * @param name the name to check
     * @throws IllegalArgumentException if it is empty, {@code .} or {@code ..}, holds '/' or NUL, or is longer than 255 bytes
     */
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

    /** {@return the name under /run/netns, or null for a namespace opened by path or pid} */
    public String name() {
        return name;
    }

    /** {@return the path this namespace was opened from} */
    public String path() {
        return path;
    }

    /**
     * {@return the nsfs inode: equal inodes mean the same namespace}
     *
     * @throws IOException if this object is closed or the inode cannot be read
     */
    public long inode() throws IOException {
        fdLock.readLock().lock();
        try {
            ensureOpen();
            return inodeOf(Path.of("/proc/self/fd/" + fd));
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /**
     * The nsfs inode of a namespace file such as {@code /proc/PID/task/TID/ns/net}
     * or a bind mount under {@code /run/netns}: stat follows the (magic) link to
     * the namespace itself. Reading the link instead would return the mount path
     * for an fd opened from {@code /run/netns/NAME}.
     *
     * @param nsFile a namespace file or a bind mount of one
     * @return the namespace's inode
     * @throws IOException if the file cannot be stat'ed
     */
    public static long inodeOf(Path nsFile) throws IOException {
        Object ino = Files.getAttribute(nsFile, "unix:ino");
        return ((Number) ino).longValue();
    }

    /**
     * Runs {@code task} inside this namespace on a fresh platform thread and
     * returns its result. The task must not start threads.
     *
     * <p>The task's own checked exception comes out as that type, unwrapped;
     * failing to enter the namespace is a {@link NetlinkException}. The
     * calling thread waits for the task even when interrupted (a thread
     * cannot be abandoned half-way through setns) and then keeps its interrupt
     * flag set; a task that wants to stop early on interruption checks its own
     * thread as usual.
     *
     * @throws E what the task threw
     * @throws NetlinkException if the namespace is closed or cannot be entered
     * @param <T> the task's result type
     * @param <E> the task's checked exception type
     * @param task what to run inside
     * @return what the task returned
     */
    public <T, E extends Exception> T call(NsCallable<T, E> task) throws E, NetlinkException {
        Objects.requireNonNull(task, "task");
        // The worker enters through a private duplicate taken under the lock:
        // a concurrent close then either comes first (this call fails as
        // closed) or leaves the duplicate pointing at this namespace.
        int own = duplicateFd();
        try {
            return NsThreads.call(own, describe(), task);
        } finally {
            Native.libc().close(own);
        }
    }

    private int duplicateFd() throws NetlinkException {
        fdLock.readLock().lock();
        try {
            ensureOpen();
            // Reopening the magic link yields a new descriptor of the same namespace.
            int dup = Native.libc().open("/proc/self/fd/" + fd, NsThreads.O_RDONLY | NsThreads.O_CLOEXEC, 0);
            if (dup < 0) {
                throw new NetlinkException(Native.errno(), "reopen " + describe(), null, -1);
            }
            return dup;
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /**
     * Runs {@code task} inside this namespace on a fresh platform thread, as
     * {@link #call} does.
     *
     * @throws E what the task threw
     * @throws NetlinkException if the namespace is closed or cannot be entered
     * @param <E> the task's checked exception type
     * @param task what to run inside
     */
    public <E extends Exception> void run(NsRunnable<E> task) throws E, NetlinkException {
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
     *
     * @param pb the process to start
     * @return the started process
     * @throws IOException if the process cannot be started or the namespace cannot be entered
     */
    public Process start(ProcessBuilder pb) throws IOException {
        ensureOpen(); // fail fast; call() checks again under the lock
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

    /**
     * Reads a sysctl of this namespace, e.g. {@code net.ipv4.ip_forward}.
     *
     * @param key a per-namespace sysctl (starting with {@code net.}), or a path below /proc/sys for interface names with dots
     * @return its value without the trailing newline
     * @throws IOException if it cannot be read
     */
    public String sysctl(String key) throws IOException {
        Path p = sysctlPath(key);
        try {
            return call(() -> ProcFiles.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("read sysctl " + key + " in " + describe() + ": " + e, e);
        }
    }

    /**
     * Writes a sysctl of this namespace, e.g. {@code sysctl("net.ipv4.ip_forward", "1")}.
     *
     * @param key a per-namespace sysctl (starting with {@code net.}), or a path below /proc/sys for interface names with dots
     * @param value one line
     * @throws IOException if there is no such sysctl or the kernel refused the value
     */
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
        } catch (NetlinkException | RuntimeException e) {
            throw e; // closed, or could not enter: already says what it is about
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
     * that name a namespace by fd. Owned by this object: do not close it. The
     * number is only meaningful until {@link #close()}; to use it while another
     * thread may close this object, use {@link #withFd}.
     *
     * @return the descriptor
     * @throws NetlinkException EBADF if this object is closed
     */
    public int fd() throws NetlinkException {
        ensureOpen();
        return fd;
    }

    /** What {@link #withFd} runs. */
    @FunctionalInterface
    public interface FdUse<T, E extends Exception> {
        /**
         * Uses the descriptor, which stays open until this returns.
         *
         * @param fd the namespace's descriptor; do not close it
         * @return what {@link #withFd} returns
         * @throws E what {@link #withFd} rethrows
         */
        T apply(int fd) throws E;
    }

    /**
     * Runs {@code use} with the descriptor held open: {@link #close()} waits
     * until it returns, and fails it as closed if it came first. For short
     * uses such as sending a message that names this namespace by fd; do not
     * close this object from inside {@code use}.
     *
     * <pre>{@code
     * ns.withFd(fd -> { links.setNetNsFd("eth1", fd); return null; });
     * }</pre>
     *
     * @param <T> the result type
     * @param <E> the use's checked exception type
     * @param use what to run with the descriptor
     * @return what {@code use} returned
     * @throws E what {@code use} threw
     * @throws NetlinkException EBADF if this object is closed
     */
    public <T, E extends Exception> T withFd(FdUse<T, E> use) throws E, NetlinkException {
        Objects.requireNonNull(use, "use");
        fdLock.readLock().lock();
        try {
            ensureOpen();
            return use.apply(fd);
        } finally {
            fdLock.readLock().unlock();
        }
    }

    private void ensureOpen() throws NetlinkException {
        if (closed) {
            throw new NetlinkException(Errno.EBADF.intValue(), describe(), "NetNs is closed", -1);
        }
    }

    /** Closes the descriptor; the namespace itself lives on while named or in use. Idempotent. */
    @Override
    public void close() {
        fdLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Native.libc().close(fd);
        } finally {
            fdLock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
