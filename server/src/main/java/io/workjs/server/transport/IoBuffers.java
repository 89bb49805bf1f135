package io.workjs.server.transport;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;

/**
 * The listener's pool of I/O buffers, kept instead of Undertow's default one.
 *
 * <p>Undertow's default pool keeps at most 4 free buffers per I/O thread and none beyond them:
 * a buffer freed when its thread already keeps 4 (more were out at once, or another thread
 * frees it) is released, and a read that finds none allocates and zeroes a new 16 KB direct
 * buffer. Under RPC load that was most reads, about 2.5% of the server's CPU (bench/RESULTS.md,
 * section 14). This pool keeps up to {@link #PER_THREAD} free buffers per thread and
 * {@link #SHARED} more between threads: at most
 * {@code (ioThreads × 64 + 256) × 16 KB} of memory, held only once the load needed that many.
 * Idle connections hold no buffer in either pool. Since WebSocket frames are read by
 * {@link WsConnection} into its I/O thread's own buffer, the pool serves HTTP requests only.
 */
public final class IoBuffers {
    /** Undertow's own choice of size for a server with more than 128 MB of heap. */
    static final int BUFFER_BYTES = 16_364;
    static final int PER_THREAD = 64;
    static final int SHARED = 256;

    private IoBuffers() {
    }

    /** A new pool; whoever builds the listener with it closes it after the listener stops. */
    public static ByteBufferPool pool() {
        return new DefaultByteBufferPool(true, BUFFER_BYTES, SHARED, PER_THREAD);
    }
}
