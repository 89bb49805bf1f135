package io.workjs.bench.peer;

import io.workjs.bench.load.ResumeWire;
import io.workjs.bench.load.SocketIoWire;
import io.workjs.bench.load.WorkWire;
import io.workjs.bench.load.Wire;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The servers under test (bench/README.md), each with its launch command and wire format. */
public enum ServerKind {
    WORKJS("workjs", new WorkWire()),
    /** The same WorkJS server, its clients on resumable connections: what resumption costs. */
    WORKJS_RESUME("workjs-resume", new ResumeWire()),
    RAW("raw", new WorkWire()),
    NODE_WS("node-ws", new WorkWire()),
    SOCKETIO("socketio", new SocketIoWire());

    private final String label;
    private final Wire wire;

    ServerKind(String label, Wire wire) {
        this.label = label;
        this.wire = wire;
    }

    public String label() {
        return label;
    }

    public Wire wire() {
        return wire;
    }

    public boolean isJvm() {
        return this == WORKJS || this == WORKJS_RESUME || this == RAW;
    }

    /** WorkJS itself, with plain or resumable clients. */
    public boolean isWorkjs() {
        return this == WORKJS || this == WORKJS_RESUME;
    }

    /** The command that starts this server on {@code port} from the repository {@code root}. */
    List<String> command(Path root, int port, List<String> jvmOptions) {
        String p = Integer.toString(port);
        List<String> cmd = new ArrayList<>();
        switch (this) {
            // The data folder goes under target/, so a run leaves nothing in the checkout.
            case WORKJS, WORKJS_RESUME -> cmd.addAll(List.of(root.resolve("workjs").toString(), "--port", p,
                    "--data", root.resolve("bench/target/workjs-data").toString(), root.resolve("bench/site").toString()));
            case RAW -> {
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(jvmOptions);
                cmd.addAll(List.of("-cp", root.resolve("bench/target/workjs-bench.jar") + ":"
                        + root.resolve("bench/target/lib") + "/*",
                        "io.workjs.bench.raw.RawServer", "--port", p));
            }
            case NODE_WS, SOCKETIO -> cmd.addAll(List.of("node", "--expose-gc",
                    root.resolve(this == NODE_WS ? "bench/peers/ws-server.js" : "bench/peers/socketio-server.js").toString(),
                    "--port", p));
        }
        return cmd;
    }

    public static ServerKind byLabel(String label) {
        for (ServerKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no server named '" + label + "'; known: workjs, workjs-resume, raw, node-ws, socketio");
    }
}
