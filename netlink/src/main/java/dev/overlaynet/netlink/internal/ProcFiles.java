package dev.overlaynet.netlink.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads kernel pseudo-files ({@code /proc}, {@code /sys}) whole.
 *
 * <p>Such files report size 0, and a sysctl answers only a read at offset 0
 * (a read at any other offset returns EOF). {@code Files.readAllBytes} trusts
 * the size, reads one byte, and so returns only the first character. Here the
 * first read asks for a whole page, and reading continues until EOF whatever
 * the reported size.
 *
 * <pre>{@code
 * String v = ProcFiles.readString(Path.of("/proc/sys/net/core/somaxconn")); // "4096\n"
 * }</pre>
 */
public final class ProcFiles {
    private static final int FIRST_READ = 64 * 1024;

    private ProcFiles() {
    }

    public static String readString(Path p) throws IOException {
        return new String(readAllBytes(p), StandardCharsets.UTF_8);
    }

    public static byte[] readAllBytes(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(FIRST_READ);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
            }
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }
}
