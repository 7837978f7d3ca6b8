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

    /** Positive errno, or 0 for a failure of our own. */
    private final int errno;
    /** What was asked; may be null. */
    private final String request;
    /** The kernel's extended-ack text; may be null. */
    private final String extAckMessage;
    /** Offset of the blamed attribute in the request, or -1. */
    private final int extAckOffset;

    /**
     * A failure the kernel reported with an errno.
     *
     * @param errno positive errno from the kernel or libc
     * @param request what was asked, e.g. {@code RTM_NEWLINK vxlan0}; may be null
     * @param extAckMessage the kernel's extended-ack message; null when it sent none
     * @param extAckOffset offset in the request of the attribute the kernel blamed; -1 when none
     */
    public NetlinkException(int errno, String request, String extAckMessage, int extAckOffset) {
        super(format(errno, request, extAckMessage, extAckOffset));
        this.errno = errno;
        this.request = request;
        this.extAckMessage = extAckMessage;
        this.extAckOffset = extAckOffset;
    }

    /**
     * A failure with a message of our own rather than an errno (errno 0).
     *
     * @param request what was asked; may be null
     * @param message what went wrong
     */
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

    /**
     * {@return the symbolic name of an errno, e.g. {@code EEXIST}; {@code errno N} if unknown}
     *
     * @param errno a positive errno
     */
    public static String errnoName(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
    }

    /**
     * {@return the C library's description of an errno, e.g. {@code File exists}}
     *
     * @param errno a positive errno
     */
    public static String errnoDescription(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "unknown error" : e.description();
    }

    /** {@return positive errno, or 0 when the failure was not an errno} */
    public int errno() {
        return errno;
    }

    /** {@return the errno's symbolic name, e.g. {@code ERANGE}} */
    public String errnoName() {
        return errnoName(errno);
    }

    /** {@return what was asked, e.g. {@code RTM_NEWLINK vxlan0}; may be null} */
    public String request() {
        return request;
    }

    /** {@return the kernel's extended-ack message, or null when it sent none} */
    public String extAckMessage() {
        return extAckMessage;
    }

    /** {@return offset in the request of the attribute the kernel blamed, or -1} */
    public int extAckOffset() {
        return extAckOffset;
    }

    /** {@return true for EEXIST: the object is already there} */
    public boolean isAlreadyExists() {
        return errno == Errno.EEXIST.intValue();
    }

    /** {@return true for the errnos the kernel uses for "no such object": ENOENT, ENODEV, ESRCH, EADDRNOTAVAIL} */
    public boolean isNotFound() {
        return errno == Errno.ENOENT.intValue() || errno == Errno.ENODEV.intValue()
                || errno == Errno.ESRCH.intValue() || errno == Errno.EADDRNOTAVAIL.intValue();
    }

    /** {@return true for EPERM or EACCES: usually a missing CAP_NET_ADMIN} */
    public boolean isPermissionDenied() {
        return errno == Errno.EPERM.intValue() || errno == Errno.EACCES.intValue();
    }

    /** {@return true for EBUSY} */
    public boolean isBusy() {
        return errno == Errno.EBUSY.intValue();
    }

    /** {@return true for EOPNOTSUPP: the kernel lacks the feature or module} */
    public boolean isNotSupported() {
        return errno == Errno.EOPNOTSUPP.intValue();
    }

    /** {@return true for EINVAL: the kernel refused a value (the ext-ack message often says which)} */
    public boolean isInvalidArgument() {
        return errno == Errno.EINVAL.intValue();
    }

    /** {@return true for ERANGE} */
    public boolean isOutOfRange() {
        return errno == Errno.ERANGE.intValue();
    }
}
