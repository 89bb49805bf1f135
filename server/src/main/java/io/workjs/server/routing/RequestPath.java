package io.workjs.server.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Splits a raw request path into percent-decoded segments, refusing anything that could escape a folder. */
final class RequestPath {
    private RequestPath() {
    }

    /** The decoded segments of {@code rawPath} ("/" gives none), or empty when it cannot be routed. */
    static Optional<List<String>> segments(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return Optional.empty();
        }
        // One trailing slash is ignored so "/chat/" finds "/chat"; "/" stays the root but "//" is no path.
        String body = rawPath.substring(1);
        if (body.endsWith("/")) {
            body = body.substring(0, body.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        if (body.isEmpty()) {
            return rawPath.equals("/") ? Optional.of(segments) : Optional.empty();
        }
        for (String raw : body.split("/", -1)) {
            String segment = decode(raw);
            if (segment == null || !acceptable(segment)) {
                return Optional.empty();
            }
            segments.add(segment);
        }
        return Optional.of(segments);
    }

    // Empty segments never match a variable, and these could walk out of a folder once used as a file name.
    private static boolean acceptable(String segment) {
        return !segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
                && segment.indexOf('/') < 0 && segment.indexOf('\\') < 0 && segment.indexOf('\0') < 0;
    }

    // Strict RFC 3986 decoding as UTF-8; "+" is a plain character in a path. Null when malformed.
    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            if (raw.charAt(i) != '%') {
                // Copy the whole run up to the next escape so surrogate pairs stay together.
                int end = raw.indexOf('%', i);
                end = end < 0 ? raw.length() : end;
                byte[] plain = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                i = end;
                continue;
            }
            int hi = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
            int lo = hi >= 0 ? hex(raw.charAt(i + 2)) : -1;
            if (lo < 0) {
                return null;
            }
            bytes.write(hi * 16 + lo);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // Only ASCII hex digits: Character.digit would also take other scripts' digits.
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
