package io.workjs.server.config;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the optional {@code CONF} file (a JSON object) of a site. Unknown keys are reported, not
 * fatal, so that CONF files written for WorkJS load; a bad value stops start-up.
 */
public final class ConfigLoader {
    private static final List<String> KEYS = List.of("callBurst", "callTimeoutMs", "callsPerSecond", "data", "host",
            "maxConnections", "maxConnectionsPerAddress", "maxJsonDepth", "maxMessageBytes", "maxNameLength", "maxQueuedBytes",
            "origin", "origins", "pingIntervalSeconds", "pingTimeoutSeconds", "port", "sessionCookie", "sessionIdleSeconds",
            "sessionSecrets");
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private ConfigLoader() {
    }

    /** Defaults overlaid with the site's CONF file, if there is one. */
    public static ServerConfig load(Path site, Consumer<String> warnings) {
        ServerConfig config = ServerConfig.defaults(site);
        Path file = site.resolve("CONF");
        if (!Files.isRegularFile(file)) return config;
        JsonObject json;
        try {
            String text = Files.readString(file);
            if (text.isBlank()) throw new ConfigException("CONF: must be a JSON object such as {\"port\": 3000}, got an empty file");
            JsonElement parsed = parseStrictly(text);
            if (!parsed.isJsonObject()) {
                throw new ConfigException("CONF: must be a JSON object such as {\"port\": 3000}, got " + kind(parsed));
            }
            json = parsed.getAsJsonObject();
        } catch (CharacterCodingException e) {
            throw new ConfigException("CONF: is not UTF-8 text");
        } catch (com.google.gson.stream.MalformedJsonException | java.io.EOFException e) {
            throw new ConfigException("CONF: not valid JSON: " + jsonProblem(e));
        } catch (IOException e) {
            throw new ConfigException("CONF: cannot read: " + e.getMessage());
        } catch (JsonParseException e) {
            throw new ConfigException("CONF: not valid JSON: " + jsonProblem(e));
        }
        return apply(config, json, warnings);
    }

    private static ServerConfig apply(ServerConfig defaults, JsonObject json, Consumer<String> warnings) {
        String host = defaults.host();
        int port = defaults.port();
        String origin = defaults.origin();
        List<String> origins = defaults.origins();
        Path data = defaults.data();
        Limits l = defaults.limits();
        int maxMessageBytes = l.maxMessageBytes(), maxJsonDepth = l.maxJsonDepth(), maxNameLength = l.maxNameLength();
        int callsPerSecond = l.callsPerSecond(), callBurst = l.callBurst(), maxQueuedBytes = l.maxQueuedBytes();
        int callTimeoutMillis = l.callTimeoutMillis(), pingInterval = l.pingIntervalSeconds(), pingTimeout = l.pingTimeoutSeconds();
        int maxConnections = l.maxConnections(), perAddress = l.maxConnectionsPerAddress();
        Sessions s = defaults.sessions();
        List<String> secrets = s.secrets();
        long idleSeconds = s.idleSeconds();
        String cookie = s.cookie();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            String key = entry.getKey();
            JsonElement value = entry.getValue();
            switch (key) {
                case "port" -> port = integer(key, value, 0, 65535);
                case "host" -> host = host(string(key, value), "CONF \"host\"");
                case "origin" -> origin = origin(string(key, value), "CONF \"origin\"");
                case "origins" -> origins = strings(key, value).stream().map(o -> origin(o, "CONF \"origins\"")).toList();
                case "data" -> data = defaults.site().resolve(string(key, value)).normalize();
                case "maxMessageBytes" -> maxMessageBytes = integer(key, value, 16, 64 << 20);
                case "maxJsonDepth" -> maxJsonDepth = integer(key, value, 1, 1000);
                case "maxNameLength" -> maxNameLength = integer(key, value, 1, 1024);
                case "callsPerSecond" -> callsPerSecond = integer(key, value, 1, 1_000_000);
                case "callBurst" -> callBurst = integer(key, value, 1, 1_000_000);
                case "maxQueuedBytes" -> maxQueuedBytes = integer(key, value, 1024, 1 << 30);
                case "callTimeoutMs" -> callTimeoutMillis = integer(key, value, 10, 600_000);
                case "pingIntervalSeconds" -> pingInterval = integer(key, value, 1, 3600);
                case "pingTimeoutSeconds" -> pingTimeout = integer(key, value, 1, 3600);
                case "maxConnections" -> maxConnections = integer(key, value, 1, 1_000_000);
                case "maxConnectionsPerAddress" -> perAddress = integer(key, value, 1, 1_000_000);
                case "sessionSecrets" -> secrets = secrets(key, value);
                case "sessionIdleSeconds" -> idleSeconds = integer(key, value, 60, Integer.MAX_VALUE);
                case "sessionCookie" -> cookie = cookieName(key, string(key, value));
                default -> warnings.accept("CONF: unknown key \"" + key + "\" ignored (known: " + String.join(", ", KEYS) + ")");
            }
        }
        Limits limits = new Limits(maxMessageBytes, maxJsonDepth, maxNameLength, callsPerSecond, callBurst, maxQueuedBytes,
                callTimeoutMillis, pingInterval, pingTimeout, maxConnections, perAddress);
        return new ServerConfig(defaults.site(), host, port, origin, origins, data, limits, new Sessions(secrets, idleSeconds, cookie));
    }

    private static List<String> strings(String key, JsonElement value) {
        if (!value.isJsonArray()) throw new ConfigException("CONF \"" + key + "\": must be an array of strings, got " + value);
        return value.getAsJsonArray().asList().stream().map(e -> string(key, e)).toList();
    }

    private static List<String> secrets(String key, JsonElement value) {
        List<String> secrets = strings(key, value);
        if (secrets.isEmpty()) throw new ConfigException("CONF \"" + key + "\": give at least one secret, or leave the key out to have one generated");
        for (String secret : secrets) {
            if (secret.length() < 32) throw new ConfigException("CONF \"" + key + "\": each secret must be at least 32 characters long");
        }
        return secrets;
    }

    private static String cookieName(String key, String name) {
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            throw new ConfigException("CONF \"" + key + "\": not a cookie name: \"" + name + "\"");
        }
        return name;
    }

    /** Validates a listen address from any source. */
    public static String host(String host, String where) {
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(where + ": not a host name or address: \"" + host + "\"");
        }
        return host;
    }

    /** Strict JSON, as WorkJS reads it: no comments, no unquoted names, nothing after the value. */
    private static JsonElement parseStrictly(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement value = JSON.read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) throw new JsonSyntaxException("unexpected text after the JSON value");
        return value;
    }

    private static String origin(String configured, String where) {
        // "https://chat.example/" is what people paste; the origin is the same without the slash.
        String origin = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        try {
            URI uri = new URI(origin);
            boolean plain = uri.getPath() == null || uri.getPath().isEmpty();
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && plain
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return origin;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new ConfigException(where + ": an origin is scheme://host[:port] with http or https, got \"" + configured + "\"");
    }

    private static int integer(String key, JsonElement value, int min, int max) {
        if (value.isJsonPrimitive() && ((JsonPrimitive) value).isNumber()) {
            double d = value.getAsDouble();
            if (d == Math.rint(d) && d >= min && d <= max) return (int) d;
        }
        throw new ConfigException("CONF \"" + key + "\": must be an integer from " + min + " to " + max + ", got " + value);
    }

    private static String string(String key, JsonElement value) {
        if (value.isJsonPrimitive() && ((JsonPrimitive) value).isString()) return value.getAsString();
        throw new ConfigException("CONF \"" + key + "\": must be a string, got " + value);
    }

    /** Gson's message without its JSONPath and its troubleshooting link, which mean nothing to a site's author. */
    private static String jsonProblem(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        String message = String.valueOf(e.getMessage());
        int see = message.indexOf("\nSee ");
        if (see >= 0) message = message.substring(0, see);
        // In strict mode Gson advises lenient parsing instead of naming the problem.
        message = message.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        return message.replaceFirst(" path \\S*$", "");
    }

    private static String kind(JsonElement json) {
        if (json.isJsonArray()) return "an array";
        if (json.isJsonNull()) return "null";
        JsonPrimitive value = json.getAsJsonPrimitive();
        return value.isString() ? "a string" : value.isNumber() ? "a number" : "a boolean";
    }
}
