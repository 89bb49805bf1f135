package io.workjs.runtime;

import java.util.Map;

/**
 * A failure of a service the runtime uses (the session store, the database, later the cluster)
 * that JavaScript sees as an {@code Error} whose {@code code} is {@link #code()}, with
 * {@link #details()} as further properties (the database's {@code sqlState}). Codes are stable
 * strings listed in docs/PROTOCOL.md.
 */
public class ServiceException extends RuntimeException {
    private final String code;
    private final Map<String, String> details;

    public ServiceException(String code, String message, Throwable cause, Map<String, String> details) {
        super(message, cause);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ServiceException(String code, String message, Throwable cause) {
        this(code, message, cause, Map.of());
    }

    public ServiceException(String code, String message) {
        this(code, message, null);
    }

    /** The stable code, e.g. {@code SESSION_FAILED}. */
    public String code() {
        return code;
    }

    /** Further properties of the JavaScript Error, e.g. {@code sqlState}; never null. */
    public Map<String, String> details() {
        return details;
    }
}
