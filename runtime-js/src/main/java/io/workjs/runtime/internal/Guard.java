package io.workjs.runtime.internal;

import com.google.gson.JsonArray;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Every entry into JavaScript from a loop task goes through here. When the watchdog stopped the
 * task (no JS catch sees that), runtime.js answers for it: TIMEOUT to the caller, 1011 for an
 * init(), a log line for a timer or Promise callback.
 */
public final class Guard {
    private final Watchdog watchdog;
    private Value interrupted;

    Guard(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** runtime.js's {@code interrupted(millis)}, once the bootstrap has been evaluated. */
    void attach(Value interrupted) {
        this.interrupted = interrupted;
    }

    /**
     * Runs a call into JavaScript and returns its result; when the watchdog stopped it, the
     * result is what runtime.js's {@code interrupted} returned (the stopped task's connection record, or null).
     */
    public Value call(Supplier<Value> call) {
        try {
            return call.get();
        } catch (PolyglotException e) {
            if (!e.isInterrupted() || interrupted == null) throw e;
            watchdog.settle();
            return interrupted.execute(watchdog.limitMillis(), frames(e));
        }
    }

    /** The stopped code's JavaScript frames, innermost first, as JSON: {@code [[file, function], ...]}. */
    static String frames(PolyglotException e) {
        JsonArray frames = new JsonArray();
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            if (!f.isGuestFrame() || f.getSourceLocation() == null) continue;
            JsonArray frame = new JsonArray();
            frame.add(f.getSourceLocation().getSource().getName());
            frame.add(f.getRootName());
            frames.add(frame);
            if (frames.size() >= MAX_FRAMES) break;
        }
        return frames.toString();
    }

    /** Frames looked at for the function a stopped Promise callback belongs to. */
    private static final int MAX_FRAMES = 32;

    /** As {@link #call}, for a call whose result does not matter. */
    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
