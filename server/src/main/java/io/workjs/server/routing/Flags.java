package io.workjs.server.routing;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Parses, checks and resolves the JSON flags object at the end of a MAP line. */
final class Flags {
    /** Flags WorkJS for the JVM understands; others are kept but warned about. */
    static final Set<String> KNOWN = Set.of("ws", "session");

    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private Flags() {
    }

    /** The flags in {@code text} ("" means none), in written order; known flags' values are checked. */
    static Map<String, JsonElement> parse(String text, String source) {
        Map<String, JsonElement> flags = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return flags;
        }
        JsonElement json = parseStrictly(text, source);
        if (!json.isJsonObject()) {
            throw MapException.at(source, "flags must be a JSON object like {\"ws\": \"t\"}, got " + text);
        }
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
            // Unknown flags may carry any value WorkJS gave them, so only ours are checked.
            if (KNOWN.contains(e.getKey())) {
                check(e.getKey(), e.getValue(), source);
            }
            flags.put(e.getKey(), e.getValue());
        }
        return flags;
    }

    /** Whether a flag value means "on" for {@code method}; anything unrecognised means off. */
    static boolean isOn(JsonElement value, String method) {
        if (value == null) {
            return false;
        }
        if (value.isJsonObject()) {
            JsonElement own = null;
            for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
                if (e.getKey().equalsIgnoreCase(method)) {
                    own = e.getValue();
                }
            }
            return isOn(own != null ? own : value.getAsJsonObject().get(Methods.ANY), method);
        }
        Boolean simple = simpleValue(value);
        return simple != null && simple;
    }

    // Gson's own parse entry points are lenient; a strict reader rejects "{ws: t}" and trailing junk.
    private static JsonElement parseStrictly(String text, String source) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement json = JSON.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException("trailing text");
            }
            return json;
        } catch (IOException | RuntimeException e) {
            throw MapException.at(source, "flags are not valid JSON: " + text);
        }
    }

    private static void check(String name, JsonElement value, String source) {
        if (simpleValue(value) != null) {
            return;
        }
        if (!value.isJsonObject()) {
            throw MapException.at(source, "flag \"" + name + "\" must be \"t\", \"f\", true, false"
                    + " or an object of methods, got " + value);
        }
        JsonObject perMethod = value.getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : perMethod.entrySet()) {
            if (Methods.normalise(e.getKey()) == null) {
                throw MapException.at(source, "flag \"" + name + "\" has an unknown method key \""
                        + e.getKey() + "\"");
            }
            if (simpleValue(e.getValue()) == null) {
                throw MapException.at(source, "flag \"" + name + "\" for \"" + e.getKey()
                        + "\" must be \"t\", \"f\", true or false, got " + e.getValue());
            }
        }
    }

    // TRUE/FALSE for "t", "f", true and false; null for anything else.
    private static Boolean simpleValue(JsonElement value) {
        if (!value.isJsonPrimitive()) {
            return null;
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            String s = p.getAsString();
            return s.equals("t") ? Boolean.TRUE : s.equals("f") ? Boolean.FALSE : null;
        }
        return null;
    }
}
