package io.workjs.runtime.internal;

import java.lang.management.ManagementFactory;
import org.graalvm.polyglot.Engine;

/**
 * The process-wide GraalJS engine, shared by every context so that parsed and compiled code is
 * shared too, and the one-line answer to "does JS run compiled?".
 */
public final class Engines {
    private static Engine shared;
    private static String jit;

    private Engines() {
    }

    /** The shared engine, built on first use. */
    public static synchronized Engine shared() {
        if (shared == null) {
            shared = Engine.newBuilder("js")
                    .option("engine.WarnInterpreterOnly", "false")
                    .build();
            jit = describeJit(shared);
        }
        return shared;
    }

    /** {@code compiled} or {@code interpreted (reason)}. */
    public static synchronized String jitStatus() {
        shared();
        return jit;
    }

    private static String describeJit(Engine engine) {
        if (!"Interpreted".equals(engine.getImplementationName())) return "compiled";
        String off = System.getProperty("workjs.jit.off");   // set by the launcher when it had to leave the JIT off
        if (off != null) return "interpreted (" + off + ")";
        boolean jvmci = ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+EnableJVMCI");
        if (!jvmci) {
            return "interpreted (JVMCI is off: start the JVM with -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI)";
        }
        if (ModuleLayer.boot().findModule("jdk.graal.compiler").isEmpty()) {
            return "interpreted (the Graal compiler is not on --upgrade-module-path)";
        }
        return "interpreted (the Truffle runtime did not load the Graal compiler: check that its version matches GraalJS)";
    }
}
