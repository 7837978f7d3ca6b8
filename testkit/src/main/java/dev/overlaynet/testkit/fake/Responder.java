package dev.overlaynet.testkit.fake;

/**
 * Answers a request in place of the fake kernel's model: a script. Write the
 * answer to {@code reply}; writing nothing means no answer at all (the
 * caller then times out, at once).
 *
 * <pre>{@code
 * kernel.on(r -> r.type() == RtNetlink.RTM_NEWLINK, (r, reply) -> reply.error(Errno.EPERM.intValue(), "no"));
 * }</pre>
 */
@FunctionalInterface
public interface Responder {
    /**
     * Answers one request.
     *
     * @param request the request to answer
     * @param reply where the answer goes
     */
    void respond(Request request, Reply reply);
}
