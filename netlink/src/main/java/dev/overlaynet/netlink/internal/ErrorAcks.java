package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the kernel's answer out of an NLMSG_ERROR or NLMSG_DONE message: the
 * errno, and the extended-ack text and offset when the kernel attached them.
 * Stateless; the caller supplies the scratch attribute reader so the ack path
 * allocates nothing.
 */
public final class ErrorAcks {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAcks.class);
    /** Largest errno the kernel returns (include/linux/err.h MAX_ERRNO). */
    public static final int MAX_ERRNO = 4095;

    private ErrorAcks() {}

    /**
     * The positive errno of an NLMSG_ERROR or NLMSG_DONE message, 0 for an ack
     * or a clean end of dump. An NLMSG_ERROR too short to hold its error code
     * is malformed, not a success.
     */
    public static int errorCode(MessageReader m) {
        if (m.payloadLength() < 4) {
            if (m.type() == Nlmsg.NLMSG_DONE) {
                return 0; // a bare DONE (no errno word) ends a dump cleanly
            }
            throw new NetlinkDecodeException(m.offset(), "NLMSG_ERROR payload of " + m.payloadLength()
                    + " bytes has no error code");
        }
        int code = m.i32(0);
        // The kernel sends 0 or -errno; anything else is not an answer we can trust.
        if (code > 0 || code < -MAX_ERRNO) {
            throw new NetlinkDecodeException(m.payloadOffset(), "error code " + code + " outside [-" + MAX_ERRNO + ", 0]");
        }
        return -code;
    }

    /**
     * Builds the exception for an NLMSG_ERROR or NLMSG_DONE carrying
     * {@code errno}, with the extended-ack text and offset when present.
     * NLMSG_DONE carries only the error word before its TLVs; NLMSG_ERROR
     * echoes the request's header (and, unless NLM_F_CAPPED, its payload)
     * first. A malformed ext-ack is ignored, never fatal: the errno is the
     * answer.
     */
    public static NetlinkException errorFrom(MessageReader m, int errno, String request, AttrReader scratch) {
        String ext = null;
        int extOff = -1;
        try {
            if ((m.flags() & Nlmsg.NLM_F_ACK_TLVS) != 0) {
                int tlv = 4;
                int payload = m.payloadLength();
                if (m.type() == Nlmsg.NLMSG_ERROR) {
                    if ((m.flags() & Nlmsg.NLM_F_CAPPED) != 0) {
                        tlv += Nlmsg.NLMSG_HDRLEN;
                    } else {
                        int origLen = m.i32(4);
                        if (origLen < Nlmsg.NLMSG_HDRLEN || origLen > payload - 4) {
                            throw new NetlinkDecodeException(m.payloadOffset() + 4, "echoed nlmsg_len "
                                    + Integer.toUnsignedString(origLen) + " outside [16, " + (payload - 4) + "]");
                        }
                        tlv += Nlmsg.align(origLen);
                    }
                }
                if (tlv <= payload) {
                    AttrReader a = m.attrs(tlv, scratch);
                    while (a.next()) {
                        if (a.type() == Nlmsg.NLMSGERR_ATTR_MSG) {
                            ext = a.string().strip();
                        } else if (a.type() == Nlmsg.NLMSGERR_ATTR_OFFS) {
                            extOff = a.u32();
                        }
                    }
                }
            }
        } catch (NetlinkDecodeException e) {
            LOG.debug("malformed extended ack ignored: {}", e.getMessage());
        }
        return new NetlinkException(errno, request, ext, extOff);
    }
}
