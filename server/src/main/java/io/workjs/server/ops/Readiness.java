package io.workjs.server.ops;

import java.util.function.BooleanSupplier;

/**
 * Whether the server should get traffic, for the admin listener's {@code /ready}: not while it
 * starts (controllers loading, port not yet bound), not while it drains or stops, and on a
 * cluster not while Redis is unreachable. It moves forward only: starting, ready, draining,
 * stopping.
 */
public final class Readiness {
    private enum Phase { STARTING, READY, DRAINING, STOPPING }

    private volatile Phase phase = Phase.STARTING;
    private volatile BooleanSupplier redisUp = () -> true;

    /** Controllers are loaded and the port is bound. */
    public void ready() {
        move(Phase.READY);
    }

    /** A drain has begun. */
    public void draining() {
        move(Phase.DRAINING);
    }

    /** The server is stopping. */
    public void stopping() {
        move(Phase.STOPPING);
    }

    /** On a cluster: whether Redis answers; the server is not ready while it does not. */
    public void cluster(BooleanSupplier redisUp) {
        this.redisUp = redisUp;
    }

    /** Null when ready, else why not, in a few words. */
    public String notReady() {
        return switch (phase) {
            case STARTING -> "starting";
            case DRAINING -> "draining";
            case STOPPING -> "stopping";
            case READY -> redisUp.getAsBoolean() ? null : "redis unreachable";
        };
    }

    /** True once a drain or the stop has begun. */
    public boolean leaving() {
        return phase.compareTo(Phase.DRAINING) >= 0;
    }

    private synchronized void move(Phase next) {
        if (next.compareTo(phase) > 0) phase = next;
    }
}
