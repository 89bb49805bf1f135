package io.workjs.bench.raw;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Peer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One connection of the raw peer: bench.ws in Java, as the runtime's {@link Inbound} on
 * WorkJS's own transport. The transport calls it on the connection's I/O thread, one frame at a
 * time in arrival order, so its state needs no locks, and it answers there at once.
 */
final class RawConnection implements Inbound {
    private final RawServer server;
    private final String group;
    private final Peer peer;
    /** Echo calls made on this connection: bench.ws's {@code this.calls}. */
    private long calls;

    RawConnection(RawServer server, String group, Peer peer) {
        this.server = server;
        this.group = group;
        this.peer = peer;
    }

    @Override
    public void message(String text) {
        JsonElement frame;
        try {
            frame = parse(text);
        } catch (JsonParseException | IOException e) {
            send(error(null, "BAD_JSON", "frame is not valid JSON: " + e.getMessage()));
            return;
        }
        if (!(frame instanceof JsonArray call) || call.size() < 2 || call.size() > 3 || !isString(call.get(0))) {
            send(error(null, "BAD_FRAME", "a frame is [name, param] or [name, param, seq]"));
            return;
        }
        JsonElement seq = call.size() == 3 ? call.get(2) : null;
        if (seq != null && !isSeq(seq)) {
            send(error(null, "BAD_FRAME", "seq must be a number or a string of at most 64 characters"));
            return;
        }
        // P and SEQ are written back by Gson's JsonElement.toString(), which (unlike a default
        // Gson instance) does not HTML-escape, so they come back as JSON.stringify would send them.
        String name = call.get(0).getAsString();
        switch (name) {
            case "echo" -> {
                calls++;
                if (seq != null) send("[\"_rpc\"," + call.get(1) + "," + seq + "]");
            }
            case "emit" -> {
                emit("[\"ev\"," + call.get(1) + "]");
                if (seq != null) send("[\"_rpc\",null," + seq + "]");
            }
            default -> send(error(seq, "NO_SUCH_FUNCTION", "no callable function \"" + name + "\" in bench.ws"));
        }
    }

    /**
     * Encodes the event once; each member gets the same bytes, written by its own I/O thread
     * together with the other events of the burst (the transport's outflow, as WorkJS's).
     */
    private void emit(String event) {
        Set<Peer> members = server.group(group);
        if (members == null) return;
        ByteBuffer utf8 = ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8));
        for (Peer member : members) member.send(utf8);
    }

    private void send(String text) {
        peer.send(text);
    }

    /** {@code ["_rpc", null, seq, {code, message}]}, or {@code ["_error", {code, message}]} without a seq. */
    private static String error(JsonElement seq, String code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        JsonArray reply = new JsonArray();
        if (seq == null) {
            reply.add("_error");
        } else {
            reply.add("_rpc");
            reply.add((String) null);
            reply.add(seq);
        }
        reply.add(error);
        return reply.toString();
    }

    /**
     * Strict JSON, as JSON.parse reads it: JsonParser.parseString is lenient (it takes
     * {@code 'x'}, bare words and comments), and parseReader alone accepts an empty frame as null.
     */
    private static JsonElement parse(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        if (reader.peek() == JsonToken.END_DOCUMENT) throw new MalformedJsonException("empty frame");
        JsonElement value = JsonParser.parseReader(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) throw new MalformedJsonException("text after the JSON value");
        return value;
    }

    private static boolean isString(JsonElement e) {
        return e instanceof JsonPrimitive p && p.isString();
    }

    private static boolean isSeq(JsonElement e) {
        return e instanceof JsonPrimitive p && (p.isNumber() || p.isString() && p.getAsString().length() <= 64);
    }

    /** Resumption is off on this server: a socket is its connection. */
    @Override
    public void detached() {
        throw new UnsupportedOperationException("the raw peer does not resume connections");
    }

    @Override
    public void resumed() {
        throw new UnsupportedOperationException("the raw peer does not resume connections");
    }

    @Override
    public void closed() {
        server.left(group, peer);
    }
}
