package dev.overlaynet.netlink;

import java.io.IOException;
import jnr.constants.platform.Errno;

/**
 * A request the kernel refused, or a socket call that failed. Carries the
 * errno (number and name), what was asked ({@code RTM_NEWLINK vxlan0}) and,
 * when the kernel gave one, its extended-ack text and the offending offset.
 *
 * <pre>{@code
 * try {
 *     links.add(vxlan);
 * } catch (NetlinkException e) {
 *     if (e.isAlreadyExists()) { ... }
 *     log.warn("{}", e.getMessage()); // RTM_NEWLINK vxlan0: EEXIST (File exists): A VXLAN device with the specified VNI already exists.
 * }
 * }</pre>
 *
 * <p>Predicates are used instead of a subclass per errno.
 */
public class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String request;
    private final String extAckMessage;
    private final int extAckOffset;

    public NetlinkException(int errno, String request, String extAckMessage, int extAckOffset) {
        super(format(errno, request, extAckMessage, extAckOffset));
        this.errno = errno;
        this.request = request;
        this.extAckMessage = extAckMessage;
        this.extAckOffset = extAckOffset;
    }

    /** A failure with a message of our own rather than an errno (errno 0). */
    public NetlinkException(String request, String message) {
        super(request == null ? message : request + ": " + message);
        this.errno = 0;
        this.request = request;
        this.extAckMessage = null;
        this.extAckOffset = -1;
    }

    private static String format(int errno, String request, String ext, int off) {
        StringBuilder sb = new StringBuilder();
        if (request != null && !request.isEmpty()) {
            sb.append(request).append(": ");
        }
        sb.append(errnoName(errno)).append(" (").append(errnoDescription(errno)).append(')');
        if (ext != null && !ext.isEmpty()) {
            sb.append(": ").append(ext);
        }
        if (off >= 0) {
            sb.append(" [at request offset ").append(off).append(']');
        }
        return sb.toString();
    }

    /** The symbolic name of an errno, e.g. {@code EEXIST}; {@code errno N} if unknown. */
    public static String errnoName(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
    }

    /** The C library's description of an errno, e.g. {@code File exists}. */
    public static String errnoDescription(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "unknown error" : e.description();
    }

    /** Positive errno, or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code ERANGE}. */
    public String errnoName() {
        return errnoName(errno);
    }

    /** What was asked, e.g. {@code RTM_NEWLINK vxlan0}; may be null. */
    public String request() {
        return request;
    }

    /** The kernel's extended-ack message, or null when it sent none. */
    public String extAckMessage() {
        return extAckMessage;
    }

    /** Offset in the request of the attribute the kernel blamed, or -1. */
    public int extAckOffset() {
        return extAckOffset;
    }

    public boolean isAlreadyExists() {
        return errno == Errno.EEXIST.intValue();
    }

    public boolean isNotFound() {
        return errno == Errno.ENOENT.intValue() || errno == Errno.ENODEV.intValue()
                || errno == Errno.ESRCH.intValue() || errno == Errno.EADDRNOTAVAIL.intValue();
    }

    public boolean isPermissionDenied() {
        return errno == Errno.EPERM.intValue() || errno == Errno.EACCES.intValue();
    }

    public boolean isBusy() {
        return errno == Errno.EBUSY.intValue();
    }

    public boolean isNotSupported() {
        return errno == Errno.EOPNOTSUPP.intValue();
    }

    public boolean isInvalidArgument() {
        return errno == Errno.EINVAL.intValue();
    }

    public boolean isOutOfRange() {
        return errno == Errno.ERANGE.intValue();
    }
}
