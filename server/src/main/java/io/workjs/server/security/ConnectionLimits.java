package io.workjs.server.security;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open WebSocket connections, in total and per client address, so that one client (or
 * all of them) cannot hold more than CONF {@code maxConnectionsPerAddress} and
 * {@code maxConnections}. A place is taken before the upgrade and given back exactly once.
 */
public final class ConnectionLimits {
    private final int total;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    /** What {@link #acquire} gives: a place, or the reason there is none. */
    public sealed interface Admission permits Slot, Refusal {
    }

    /** Why a connection was refused; the reason is also its plain-text answer. */
    public enum Refusal implements Admission {
        TOTAL(503, "too many connections"),
        ADDRESS(429, "too many connections from your address");

        final int status;
        final String reason;

        Refusal(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }
    }

    /** A taken place; {@link #release} gives it back, once however often it is called. */
    public final class Slot implements Admission {
        private final InetAddress address;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean adopted;

        private Slot(InetAddress address) {
            this.address = address;
        }

        /**
         * The WebSocket connection now gives the place back itself, when it ends: a resumable one
         * holds it across drops, while its socket is gone.
         */
        public void adopt() {
            adopted = true;
        }

        /** True once a connection has {@link #adopt adopted} the place. */
        public boolean adopted() {
            return adopted;
        }

        public void release() {
            if (!released.compareAndSet(false, true)) return;
            byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            open.decrementAndGet();
        }
    }

    public ConnectionLimits(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Takes a place for a connection from {@code address}, or says why there is none. */
    public Admission acquire(InetAddress address) {
        return acquire(address, 0);
    }

    /**
     * As {@link #acquire(InetAddress)}, allowing {@code spare} places beyond both limits: for a
     * client that may be resuming a detached connection, which holds a place of its own already.
     */
    public Admission acquire(InetAddress address, int spare) {
        if (open.incrementAndGet() > total + spare) {
            open.decrementAndGet();
            return Refusal.TOTAL;
        }
        boolean[] full = new boolean[1];
        byAddress.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perAddress + spare) {
                full[0] = true;
                return n;
            }
            return now + 1;
        });
        if (full[0]) {
            open.decrementAndGet();
            return Refusal.ADDRESS;
        }
        return new Slot(address);
    }

    /** Open connections in total; for tests and diagnostics. */
    public int open() {
        return open.get();
    }
}
