package io.workjs.server.resume;

/**
 * Which resume token names which connection, and why a token that names none is refused. The
 * in-process registry ({@link LocalResumeRegistry}) is today's; a cluster's shares tokens
 * between nodes behind the same interface.
 */
public interface ResumeRegistry {

    /** What a token names: the connection, or the reason there is none ({@link Refusal}). */
    sealed interface Claim permits Live, Refusal {
    }

    /** The token names this connection. */
    record Live(ResumableConnection connection) implements Claim {
    }

    /** Why a token cannot resume: one of the reasons in docs/PROTOCOL.md. */
    record Refusal(String reason) implements Claim {
    }

    /** From now on {@code token} names {@code connection}. */
    void register(String token, ResumableConnection connection);

    /** The connection {@code token} names, or why none. */
    Claim find(String token);

    /** {@code token} names nothing any more; a later attempt with it is refused with {@code reason}. */
    void retire(String token, String reason);

    /** Live connections, detached ones included; for tests and diagnostics. */
    int live();
}
