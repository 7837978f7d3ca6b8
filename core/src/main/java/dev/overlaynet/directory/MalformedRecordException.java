package dev.overlaynet.directory;

/**
 * A directory record that is not one this library wrote in a format it
 * understands: bad JSON, an unknown or newer format, a missing or extra
 * field, a value of the wrong type, or a key that does not match the record.
 * Such a record is logged and skipped, never applied.
 *
 * <pre>{@code
 * try {
 *     HostRecord h = RecordFormat.decodeHost(text);
 * } catch (MalformedRecordException e) {
 *     log.warn("skipping {}: {}", key, e.getMessage());
 * }
 * }</pre>
 */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A record that does not parse.
     *
     * @param message what is wrong with it
     */
    public MalformedRecordException(String message) {
        super(message);
    }
}
