package io.workjs.bench.scenario;

import com.sun.management.OperatingSystemMXBean;
import io.workjs.bench.peer.Servers;
import io.workjs.bench.report.Result;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A measured stretch of time and the CPU that the server and the load generator used in it,
 * as a share of one core: the calibration that shows which side was the bottleneck.
 */
final class Window {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The thread that runs WorkJS's JavaScript (io.workjs.runtime.internal.EventLoop). */
    private static final java.util.function.Predicate<String> JS_THREAD = "workjs-js"::equals;

    private final Servers server;
    private final long startNanos;
    private final double serverCpu;
    private final long clientCpuNanos;
    private final java.util.Map<Long, Long> loopCpuNanos;
    private final double jsThreadCpu;
    private final double databaseCpu;
    private final double compilerCpu;
    private final long[] machineTicks;
    private final long tcpSegments;

    private Window(Servers server) throws IOException {
        this.server = server;
        this.serverCpu = server.cpuSeconds();
        this.databaseCpu = server.databaseCpuSeconds();
        this.clientCpuNanos = OS.getProcessCpuTime();
        this.loopCpuNanos = loopCpu();
        this.jsThreadCpu = server.threadCpuSeconds(JS_THREAD);
        this.compilerCpu = server.compilerCpuSeconds();
        this.machineTicks = machineTicks();
        this.tcpSegments = tcpSegmentsSent();
        this.startNanos = System.nanoTime();
    }

    static Window start(Servers server) throws IOException {
        return new Window(server);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Adds "server CPU %" and "client CPU %" (100 = one core busy) for the window so far, and
     * for a server on PostgreSQL "db CPU %" (on Redis "redis CPU %"), what that used on the
     * same cores. A cluster's server CPU is its nodes' together. "JIT CPU %" is the part of the
     * server's that its JIT compilers used (JVM servers only): well above zero, the window
     * measured compilation too. "machine CPU %" is everything the machine ran.
     */
    void addCpu(Result result) throws IOException {
        double wall = seconds();
        result.put("server CPU %", round(100 * (server.cpuSeconds() - serverCpu) / wall));
        if (!Double.isNaN(databaseCpu)) {
            result.put(server.databaseLabel() + " CPU %", round(100 * (server.databaseCpuSeconds() - databaseCpu) / wall));
        }
        result.put("client CPU %", round(100 * (OS.getProcessCpuTime() - clientCpuNanos) / 1e9 / wall));
        result.put("client loop CPU %", round(100 * busiestLoop() / 1e9 / wall));
        double compilers = server.compilerCpuSeconds();
        if (!Double.isNaN(compilers) && !Double.isNaN(compilerCpu)) {
            result.put("JIT CPU %", round(100 * (compilers - compilerCpu) / wall));
        }
        long[] now = machineTicks();
        if (now != null && machineTicks != null && now[1] > machineTicks[1]) {
            int cores = Runtime.getRuntime().availableProcessors();
            result.put("machine CPU %", round(100.0 * cores * (now[0] - machineTicks[0]) / (now[1] - machineTicks[1])));
            result.put("kernel softirq %", round(100.0 * cores * (now[2] - machineTicks[2]) / (now[1] - machineTicks[1])));
        }
    }

    /**
     * TCP segments the machine sent so far ({@code OutSegs} of /proc/net/snmp), or -1: on
     * loopback both directions, so per call or event it shows how many segments a server's
     * writes cost, which decides the readers' work (a server that writes each event on its own
     * makes the load generator read each on its own).
     */
    private static long tcpSegmentsSent() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                    List<String> names = List.of(lines.get(i).split("\\s+"));
                    return Long.parseLong(lines.get(i + 1).split("\\s+")[names.indexOf("OutSegs")]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /**
     * CPU nanoseconds of the busiest load-generator event-loop thread in the window. The
     * generator is the bottleneck only when one of its loops is near 100%: the process's "client
     * CPU %" also counts its GC and JIT threads, which a loop never waits for.
     */
    private long busiestLoop() {
        long busiest = 0;
        for (java.util.Map.Entry<Long, Long> now : loopCpu().entrySet()) {
            busiest = Math.max(busiest, now.getValue() - loopCpuNanos.getOrDefault(now.getKey(), 0L));
        }
        return busiest;
    }

    private static java.util.Map<Long, Long> loopCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(io.workjs.bench.load.Client.LOOP_THREAD_PREFIX)) {
                long nanos = threads.getThreadCpuTime(t.getThreadId());
                if (nanos >= 0) cpu.put(t.getThreadId(), nanos);
            }
        }
        return cpu;
    }

    /**
     * The whole machine's busy, total and softirq ticks from /proc/stat (null where there is
     * none): what every process and the kernel used, loopback TCP's softirq work included,
     * which no process's own CPU time shows. Near 100 × cores, the run was bound by the machine.
     */
    private static long[] machineTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]), steal = Long.parseLong(f[8]);
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait, softirq};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Adds "JS µs/call": CPU time of WorkJS's JavaScript thread per call in the window. Unlike
     * calls/s it hardly moves with what else the machine is doing, so it is the figure to
     * compare before and after a change to the call path. Other servers have no such thread.
     */
    void addJsCostPerCall(Result result, long calls) throws IOException {
        double now = server.threadCpuSeconds(JS_THREAD);
        if (!Double.isNaN(now) && calls > 0) {
            result.put("JS µs/call", round((now - jsThreadCpu) * 1e6 / calls));
        }
    }

    /**
     * Adds "server CPU µs/UNIT" and "client CPU µs/UNIT" for {@code count} calls or delivered
     * events in the window: what each costs the server and the load generator, which, unlike a
     * rate on shared cores, hardly moves with what else the machine does (issue 14 compares
     * servers on it). A server on Redis also gets "redis CPU µs/UNIT".
     */
    void addCpuPer(Result result, long count, String unit) throws IOException {
        if (count == 0) {
            return;
        }
        result.put("server CPU µs/" + unit, round((server.cpuSeconds() - serverCpu) * 1e6 / count));
        result.put("client CPU µs/" + unit, round((OS.getProcessCpuTime() - clientCpuNanos) / 1e3 / count));
        long segments = tcpSegmentsSent();
        if (segments >= 0 && tcpSegments >= 0) {
            result.put("TCP segments/" + unit, Math.round((segments - tcpSegments) * 100.0 / count) / 100.0);
        }
        if (!Double.isNaN(databaseCpu) && server.databaseLabel().equals("redis")) {
            result.put("redis CPU µs/" + unit, round((server.databaseCpuSeconds() - databaseCpu) * 1e6 / count));
        }
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
