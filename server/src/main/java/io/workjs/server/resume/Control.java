package io.workjs.server.resume;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The control frames of a resumable connection (docs/PROTOCOL.md): not numbered, never
 * replayed, and only ever between a client that asked for resumption and this server. Their
 * names ({@code _hello}, {@code _welcome}, {@code _ack}, {@code _ping}, {@code _ended}, {@code _bye}) are reserved: runtime.js
 * refuses to send an event or message that would look like one.
 */
final class Control {
    private Control() {
    }

    /**
     * The client's first frame: the token to resume (null for none), how many messages it has
     * received, and the position of the last group event it got (a cluster's; null for none).
     */
    record Hello(String token, long received, String event) {
    }

    /** A client's {@code ["_hello", {"token": T, "received": N}]}, or null when the frame is not one. */
    static Hello hello(String frame) {
        try {
            JsonElement parsed = JsonParser.parseString(frame);
            if (!parsed.isJsonArray() || parsed.getAsJsonArray().size() != 2) return null;
            JsonArray a = parsed.getAsJsonArray();
            if (!isString(a.get(0), "_hello") || !a.get(1).isJsonObject()) return null;
            JsonObject o = a.get(1).getAsJsonObject();
            JsonElement token = o.get("token");
            JsonElement received = o.get("received");
            String t = token == null || token.isJsonNull() ? null : token.isJsonPrimitive() && token.getAsJsonPrimitive().isString()
                    ? token.getAsString() : "";
            long n = received != null && received.isJsonPrimitive() && received.getAsJsonPrimitive().isNumber()
                    ? received.getAsLong() : -1;
            if ("".equals(t) || n < 0) return null;
            JsonElement event = o.get("event");
            String position = event != null && event.isJsonPrimitive() && event.getAsJsonPrimitive().isString()
                    && event.getAsString().matches("[0-9]{1,20}-[0-9]{1,20}") ? event.getAsString() : null;
            return new Hello(t, n, position);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** N of a client's {@code ["_ack", N]}, or -1 when the frame is not one. */
    static long ack(String frame) {
        if (!frame.startsWith("[\"_ack\",") || !frame.endsWith("]")) return -1;
        try {
            long n = Long.parseLong(frame.substring(8, frame.length() - 1).strip());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True for a client's {@code ["_bye", null]}: it is gone for good, whatever close code its browser sends next. */
    static boolean bye(String frame) {
        return frame.startsWith("[\"_bye\"");
    }

    /** {@code ["_welcome", {...}]}; {@code reason} only when a resume was refused. */
    static ByteBuffer welcome(String token, boolean resumed, long received, long heartbeatMillis, String reason) {
        return welcome(token, resumed, received, heartbeatMillis, reason, false, null);
    }

    /**
     * {@code ["_welcome", {...}]}, with {@code "moved": true} for a connection resumed on
     * another node than the one that had it, and {@code "lost"} when that node died.
     */
    static ByteBuffer welcome(String token, boolean resumed, long received, long heartbeatMillis, String reason, boolean moved,
            String lost) {
        JsonObject w = new JsonObject();
        w.addProperty("token", token);
        w.addProperty("resumed", resumed);
        w.addProperty("received", received);
        w.addProperty("heartbeatMs", heartbeatMillis);
        if (reason != null) w.addProperty("reason", reason);
        if (moved) w.addProperty("moved", true);
        if (lost != null) w.addProperty("lost", lost);
        JsonArray frame = new JsonArray();
        frame.add("_welcome");
        frame.add(w);
        return utf8(frame.toString());
    }

    /** {@code ["_ack", N]}: the server has received the client's first N messages. */
    static ByteBuffer ack(long received) {
        return utf8("[\"_ack\"," + received + "]");
    }

    /** {@code ["_ended", {"reason": R}]}: the connection ends for good; the socket's close follows. */
    static ByteBuffer ended(String reason) {
        JsonObject e = new JsonObject();
        e.addProperty("reason", reason);
        JsonArray frame = new JsonArray();
        frame.add("_ended");
        frame.add(e);
        return utf8(frame.toString());
    }

    /** {@code ["_ping", null]}: a sign of life the client can see. */
    static ByteBuffer ping() {
        return utf8("[\"_ping\",null]");
    }

    private static boolean isString(JsonElement e, String value) {
        return e instanceof JsonPrimitive p && p.isString() && p.getAsString().equals(value);
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
