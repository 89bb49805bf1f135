package io.workjs.runtime.internal;

/**
 * One connection's rate limit, checked as each frame arrives, before it is queued: a token
 * bucket of {@code burst} tokens refilled at {@code perSecond}. A client that goes on sending
 * after being refused, more than a whole burst's worth of frames within one second, is not a
 * person retrying: it is cut off. Used by one thread at a time (the connection's I/O thread).
 */
final class CallRate {
    /** What a frame gets. */
    enum Verdict { ALLOWED, LIMITED, CUT_OFF }

    /** Refusals are counted per window of this many ms; more than a burst's worth in one cuts the client off. */
    private static final long WINDOW_MILLIS = 1000;

    private final double perMilli;
    private final int burst;
    private double tokens;
    private long refilled;
    private long refusedSince;
    private int refused;

    CallRate(int perSecond, int burst, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.refilled = nowMillis;
        this.refusedSince = nowMillis - WINDOW_MILLIS;   // the first refusal opens a window of its own
    }

    /** Takes a token for a frame arriving at {@code nowMillis} (epoch ms). */
    Verdict take(long nowMillis) {
        tokens = Math.min(burst, tokens + Math.max(0, nowMillis - refilled) * perMilli);
        refilled = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOWED;
        }
        if (nowMillis - refusedSince >= WINDOW_MILLIS || nowMillis < refusedSince) {   // a clock set back starts afresh too
            refusedSince = nowMillis;
            refused = 0;
        }
        return ++refused > burst ? Verdict.CUT_OFF : Verdict.LIMITED;
    }
}
