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
import io.workjs.runtime.Bound;
import io.workjs.server.security.OriginCheck;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads the optional {@code CONF} file (a JSON object) of a site. Unknown keys are reported, not
 * fatal, so that CONF files written for WorkJS load; a bad value stops start-up.
 */
public final class ConfigLoader {
    /** Every CONF key, each with the one place that reads it; the limits come from {@link Limits#ALL}. */
    private static final Map<String, Setting> SETTINGS = new TreeMap<>();

    static {
        SETTINGS.put("port", (d, key, value) -> d.port = integer(key, value, 0, 65535));
        SETTINGS.put("host", (d, key, value) -> d.host = host(string(key, value), "CONF \"host\""));
        SETTINGS.put("origin", (d, key, value) -> d.origin = origin(string(key, value), "CONF \"origin\""));
        SETTINGS.put("origins", (d, key, value) -> d.origins = strings(key, value).stream().map(o -> origin(o, "CONF \"origins\"")).toList());
        SETTINGS.put("data", (d, key, value) -> d.data = d.site.resolve(string(key, value)).normalize());
        SETTINGS.put("sessionSecrets", (d, key, value) -> d.secrets = secrets(key, value));
        SETTINGS.put("sessionIdleSeconds", (d, key, value) -> d.idleSeconds = integer(key, value, 60, Integer.MAX_VALUE));
        SETTINGS.put("db_url", (d, key, value) -> d.database = DatabaseUrl.parse(string(key, value), "CONF \"db_url\""));
        SETTINGS.put("redis", (d, key, value) -> d.redis = RedisUrl.parse(string(key, value), "CONF \"redis\""));
        SETTINGS.put("nodeName", (d, key, value) -> d.nodeName = Cluster.nodeName(string(key, value), "CONF \"nodeName\""));
        SETTINGS.put("servermode", (d, key, value) -> d.ops = d.ops.withDevelopment(Operations.development(string(key, value), "CONF \"servermode\"")));
        SETTINGS.put("adminPort", (d, key, value) -> d.ops = d.ops.withAdminPort(integer(key, value, 0, 65535)));
        SETTINGS.put("adminHost", (d, key, value) -> d.ops = d.ops.withAdminHost(host(string(key, value), "CONF \"adminHost\"")));
        SETTINGS.put("drainSeconds", (d, key, value) -> d.ops = d.ops.withDrainSeconds(integer(key, value, 0, Operations.MAX_DRAIN_SECONDS)));
        SETTINGS.put("logFormat", (d, key, value) -> d.ops = d.ops.withJsonLogs(Operations.jsonLogs(string(key, value), "CONF \"logFormat\"")));
        SETTINGS.put("sessionCookie", (d, key, value) -> d.cookie = cookieName(key, string(key, value)));
        for (Bound bound : Limits.ALL) {
            SETTINGS.put(bound.key(), (d, key, value) -> d.limits = d.limits.with(bound, integer(key, value, bound.min(), bound.max())));
        }
    }

    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private ConfigLoader() {
    }

    /** Every CONF key this server knows, sorted. */
    public static Set<String> keys() {
        return SETTINGS.keySet();
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
        Draft draft = new Draft(defaults);
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            Setting setting = SETTINGS.get(entry.getKey());
            if (setting == null) {
                warnings.accept("CONF: unknown key \"" + entry.getKey() + "\" ignored (known: " + String.join(", ", SETTINGS.keySet()) + ")");
            } else {
                setting.apply(draft, entry.getKey(), entry.getValue());
            }
        }
        return draft.build();
    }

    /** Reads one CONF key's value into the draft, or throws a {@link ConfigException} naming the key. */
    @FunctionalInterface
    private interface Setting {
        void apply(Draft draft, String key, JsonElement value);
    }

    /** The configuration as CONF is read, key by key. */
    private static final class Draft {
        final Path site;
        String host;
        int port;
        String origin;
        List<String> origins;
        Path data;
        Limits limits;
        List<String> secrets;
        long idleSeconds;
        String cookie;
        DatabaseUrl database;
        RedisUrl redis;
        String nodeName;
        Operations ops;

        Draft(ServerConfig defaults) {
            site = defaults.site();
            host = defaults.host();
            port = defaults.port();
            origin = defaults.origin();
            origins = defaults.origins();
            data = defaults.data();
            limits = defaults.limits();
            secrets = defaults.sessions().secrets();
            idleSeconds = defaults.sessions().idleSeconds();
            cookie = defaults.sessions().cookie();
            database = defaults.database();
            redis = defaults.cluster() == null ? null : defaults.cluster().redis();
            nodeName = defaults.cluster() == null ? null : defaults.cluster().nodeName();
            ops = defaults.ops();
        }

        ServerConfig build() {
            return new ServerConfig(site, host, port, origin, origins, data, limits, new Sessions(secrets, idleSeconds, cookie), database,
                    cluster(), ops);
        }

        /** Cluster mode when CONF names a Redis; a nodeName alone is kept for a --redis given later. */
        private Cluster cluster() {
            if (redis == null && nodeName == null) return null;
            return new Cluster(redis, nodeName);
        }
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

    /** An origin as OriginCheck compares them, and only http or https: a page's origin is never anything else. */
    private static String origin(String configured, String where) {
        String normal = OriginCheck.normalise(configured);
        if (normal != null && (normal.startsWith("http://") || normal.startsWith("https://"))) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
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
