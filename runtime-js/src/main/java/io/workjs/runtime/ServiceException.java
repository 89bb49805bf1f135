package io.workjs.runtime;

/**
 * A failure of a service the runtime uses (the session store, later the database or the
 * cluster) that JavaScript sees as an {@code Error} whose {@code code} is {@link #code()}. Codes
 * are stable strings listed in docs/PROTOCOL.md.
 */
public class ServiceException extends RuntimeException {
    private final String code;

    public ServiceException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ServiceException(String code, String message) {
        this(code, message, null);
    }

    /** The stable code, e.g. {@code SESSION_FAILED}. */
    public String code() {
        return code;
    }
}
