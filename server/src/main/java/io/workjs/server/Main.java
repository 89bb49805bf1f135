package io.workjs.server;

import io.workjs.server.config.ConfigException;
import io.workjs.server.config.ConfigLoader;
import io.workjs.server.config.Cluster;
import io.workjs.server.config.DatabaseUrl;
import io.workjs.server.config.Operations;
import io.workjs.server.config.RedisUrl;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.db.DatabaseException;
import io.workjs.server.routing.MapException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** The command line: {@code workjs [--port N] [--host ADDRESS] SITE_DIR}. */
public final class Main {
    static final String USAGE = """
            usage: workjs [options] SITE_DIR
              --port N          port to listen on (0 picks a free port); default: CONF "port" or 3000
              --host ADDRESS    address to listen on; default: CONF "host" or 127.0.0.1
              --data DIR        folder for sessions, secrets and the embedded database; default: CONF "data" or SITE_DIR/.workjs
              --db-url URL      PostgreSQL for this.db, e.g. postgres://user:pass@host/db; default: CONF "db_url",
                                else the embedded database in the data folder
              --redis URL       Redis that makes this server a node of a cluster, e.g. redis://127.0.0.1:6379;
                                default: CONF "redis" (none: the server runs alone)
              --node-name NAME  this node's name in the cluster; default: CONF "nodeName" or host name and port
              --dev             development mode: watch the site folder and reload what changes;
                                default: CONF "servermode" or production (watch nothing)
              --admin-port N    serve /metrics, /health and /ready on this port (0 picks a free one),
                                on CONF "adminHost" or 127.0.0.1; default: CONF "adminPort" or none
              --log-format F    human (the default) or json (one JSON object per line); default: CONF "logFormat"
              --help            show this help
            """;

    private Main() {
    }

    public static void main(String[] args) {
        LogFormat.install();
        if (wantsJsonLogs(args)) LogFormat.json();   // before CONF is read, so that its errors are JSON too
        try {
            List<String> warnings = new ArrayList<>();
            ServerConfig config = parse(args, warnings::add);
            if (config.ops().jsonLogs()) LogFormat.json();
            for (String warning : warnings) Logger.getLogger("workjs").warning(warning);
            Shutdown.install(WorkServer.start(config));
        } catch (Usage e) {
            System.err.print((e.getMessage().isEmpty() ? "" : "workjs: " + e.getMessage() + "\n") + USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
        } catch (ConfigException | MapException | DatabaseException e) {
            Logger.getLogger("workjs").severe(e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            Logger.getLogger("workjs").severe("cannot start: " + e);
            System.exit(1);
        }
    }

    /** The configuration the arguments ask for: CONF of the site, then the options over it. */
    static ServerConfig parse(String[] args) {
        return parse(args, warning -> Logger.getLogger("workjs").warning(warning));
    }

    /** As {@link #parse(String[])}, handing CONF's warnings to {@code warnings}. */
    static ServerConfig parse(String[] args, java.util.function.Consumer<String> warnings) {
        Integer port = null;
        String host = null;
        String data = null;
        String dbUrl = null;
        String redis = null;
        String nodeName = null;
        boolean dev = false;
        Integer adminPort = null;
        Boolean jsonLogs = null;
        String site = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> throw new Usage("");
                case "--port" -> port = portOption(arg, value(args, ++i, arg));
                case "--host" -> host = ConfigLoader.host(value(args, ++i, arg), "--host");
                case "--data" -> data = value(args, ++i, arg);
                case "--db-url" -> dbUrl = value(args, ++i, arg);
                case "--redis" -> redis = value(args, ++i, arg);
                case "--node-name" -> nodeName = value(args, ++i, arg);
                case "--dev" -> dev = true;
                case "--admin-port" -> adminPort = portOption(arg, value(args, ++i, arg));
                case "--log-format" -> jsonLogs = logFormat(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--port=")) port = portOption("--port", arg.substring(7));
                    else if (arg.startsWith("--host=")) host = ConfigLoader.host(arg.substring(7), "--host");
                    else if (arg.startsWith("--data=")) data = arg.substring(7);
                    else if (arg.startsWith("--db-url=")) dbUrl = arg.substring(9);
                    else if (arg.startsWith("--redis=")) redis = arg.substring(8);
                    else if (arg.startsWith("--node-name=")) nodeName = arg.substring(12);
                    else if (arg.startsWith("--admin-port=")) adminPort = portOption("--admin-port", arg.substring(13));
                    else if (arg.startsWith("--log-format=")) jsonLogs = logFormat(arg.substring(13));
                    else if (arg.startsWith("-")) throw new Usage("unknown option " + arg);
                    else if (site != null) throw new Usage("one SITE_DIR only, got " + site + " and " + arg);
                    else site = arg;
                }
            }
        }
        if (site == null) throw new Usage("SITE_DIR is missing");
        Path dir = Path.of(site).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new Usage("SITE_DIR " + site + " is not a directory");
        ServerConfig config = ConfigLoader.load(dir, warnings);
        if (port != null) config = config.withPort(port);
        if (host != null) config = config.withHost(host);
        if (data != null) config = config.withData(Path.of(data).toAbsolutePath().normalize());
        if (dbUrl != null) config = config.withDatabase(DatabaseUrl.parse(dbUrl, "--db-url"));
        if (redis != null || nodeName != null) {
            Cluster cluster = config.cluster() == null ? new Cluster(null, null) : config.cluster();
            if (redis != null) cluster = cluster.withRedis(RedisUrl.parse(redis, "--redis"));
            if (nodeName != null) cluster = cluster.withNodeName(Cluster.nodeName(nodeName, "--node-name"));
            config = config.withCluster(cluster);
        }
        Operations ops = config.ops();
        if (dev) ops = ops.withDevelopment(true);
        if (adminPort != null) ops = ops.withAdminPort(adminPort);
        if (jsonLogs != null) ops = ops.withJsonLogs(jsonLogs);
        return config.withOps(ops);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new Usage(option + " needs a value");
        return args[i];
    }

    /** {@code --log-format json} among the arguments, looked for before anything else is read. */
    private static boolean wantsJsonLogs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format=json") || (args[i].equals("--log-format") && i + 1 < args.length && args[i + 1].equals("json"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean logFormat(String text) {
        if (!text.equals("human") && !text.equals("json")) throw new Usage("--log-format is human or json, got \"" + text + "\"");
        return text.equals("json");
    }

    /** A bad port is a usage error (exit 2 with the help), whether it is not a number or out of range. */
    private static int portOption(String option, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Usage(option + " needs a number from 0 to 65535, got \"" + text + "\"");
    }

    /** A command line that can't be run: the message says why (empty for --help). */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }
}
