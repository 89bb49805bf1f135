package io.workjs.runtime.internal;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** Turns a JavaScript error into one log line that names the file and line it came from. */
public final class JsErrors {
    private JsErrors() {
    }

    /** {@code file:line: message}, using the error's own location or its first JS stack frame. */
    public static String describe(PolyglotException e) {
        SourceSection at = e.getSourceLocation();
        if (at == null) {
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame() && frame.getSourceLocation() != null) {
                    at = frame.getSourceLocation();
                    break;
                }
            }
        }
        String message = e.getMessage();
        if (at == null) return message;
        String where = at.getSource().getName() + ":" + at.getStartLine();
        // GraalJS puts "file:line:column" into syntax error messages itself.
        return message.contains(where + ":") ? message : where + ": " + message;
    }
}
