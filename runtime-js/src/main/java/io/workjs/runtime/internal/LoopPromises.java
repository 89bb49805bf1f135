package io.workjs.runtime.internal;

import io.workjs.runtime.ServiceException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.graalvm.polyglot.Value;

/**
 * The one way Java work done elsewhere reaches JavaScript: "when this stage completes, settle
 * on the loop". A result becomes a Promise's value or a callback's argument; a failure becomes a
 * real JavaScript {@code Error} whose {@code code} is the {@link ServiceException}'s code (or the
 * caller's fallback). Host methods that fail synchronously throw such an Error the same way.
 */
public final class LoopPromises {
    private final EventLoop loop;
    private final Guard guard;
    private Value deferred;
    private Value makeError;

    LoopPromises(EventLoop loop, Guard guard) {
        this.loop = loop;
        this.guard = guard;
    }

    /** globals.js's {@code deferred()} and {@code makeError(code, message)}, once it has been evaluated. */
    void attach(Value deferred, Value makeError) {
        this.deferred = deferred;
        this.makeError = makeError;
    }

    /**
     * Calls {@code onValue(result)} or {@code onError(error)} on the loop once {@code stage}
     * completes: at once when it already has and this is the loop, else as a task of the loop's
     * shared lane. {@code fallbackCode} is the Error's code for a failure that names none.
     */
    public void whenDone(CompletionStage<?> stage, String fallbackCode, Value onValue, Value onError) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        if (future.isDone() && loop.inLoop()) {
            settle(future, fallbackCode, onValue, onError);
            return;
        }
        future.whenComplete((value, failure) -> loop.post(() -> guard.run(() -> settle(future, fallbackCode, onValue, onError))));
    }

    /** Runs JavaScript on the loop, from any thread, under the watchdog like every other task. */
    public void onLoop(Runnable call) {
        loop.post(() -> guard.run(call));
    }

    /** A JavaScript Promise settled on the loop when {@code stage} completes. Call on the loop. */
    public Value promise(CompletionStage<?> stage, String fallbackCode) {
        Value d = deferred.execute();
        whenDone(stage, fallbackCode, d.getMember("resolve"), d.getMember("reject"));
        return d.getMember("promise");
    }

    /**
     * Runs {@code work} on {@code executor} and returns a Promise of its result; when the
     * executor refuses the work (its queue is full), the Promise rejects with {@code busyCode}.
     */
    public Value submit(Executor executor, Callable<?> work, String fallbackCode, String busyCode) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException full) {
            result.completeExceptionally(new ServiceException(busyCode, "too much work is waiting; try again later"));
        }
        return promise(result, fallbackCode);
    }

    /** A JavaScript Error with this code and message. Call on the loop. */
    public Value error(String code, String message) {
        return makeError.execute(code, message);
    }

    /** The JavaScript Error for a Java failure: a {@link ServiceException}'s code and details, else {@code fallbackCode}. */
    public Value error(Throwable failure, String fallbackCode) {
        Throwable cause = unwrap(failure);
        Value e = error(codeOf(cause, fallbackCode), String.valueOf(cause.getMessage()));
        if (cause instanceof ServiceException s) s.details().forEach(e::putMember);
        return e;
    }

    /** For a host method: {@code throw thrown(...)} makes its JavaScript caller catch a real Error with this code. */
    public RuntimeException thrown(String code, String message) {
        return error(code, message).throwException();
    }

    /** {@link #thrown(String, String)} for a Java failure: a {@link ServiceException}'s code, else {@code fallbackCode}. */
    public RuntimeException thrown(Throwable failure, String fallbackCode) {
        return error(failure, fallbackCode).throwException();
    }

    private void settle(CompletableFuture<?> future, String fallbackCode, Value onValue, Value onError) {
        Object value;
        try {
            value = future.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            onError.execute(error(e, fallbackCode));
            return;
        }
        onValue.execute(value);
    }

    private static String codeOf(Throwable cause, String fallbackCode) {
        return cause instanceof ServiceException s ? s.code() : fallbackCode;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }
}
