package io.workjs.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.workjs.runtime.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's metrics, in one Micrometer registry that /metrics renders in Prometheus's text
 * format (docs/OPERATIONS.md lists them). The runtime and the transport report through
 * {@link Metrics}; calls by controller, function and outcome are counted inside the runtime and
 * read from it at each scrape ({@link CallStats}). Every label has a bounded set of values:
 * route patterns come from MAP, reasons and outcomes from fixed lists.
 */
public final class ServerMetrics implements Metrics, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();
    private final Map<String, Counter> denied = new ConcurrentHashMap<>();
    private final Map<String, Counter> resumes = new ConcurrentHashMap<>();
    private final Counter connects;
    private final Counter eventsEmitted;
    private final Counter watchdogInterrupts;
    private final Counter slowClientsDropped;
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder loopBusyNanos = new LongAdder();
    private final LoopGauges loop = new LoopGauges();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile CallStats calls;
    private double deniedByInitSeen;   // guarded by this

    public ServerMetrics() {
        connects = Counter.builder("workjs.connects").description("WebSocket connections opened").register(registry);
        eventsEmitted = Counter.builder("workjs.events.emitted").description("group events published (this.emit), once each").register(registry);
        watchdogInterrupts = Counter.builder("workjs.watchdog.interrupts").description("JS tasks stopped for running past callTimeoutMs").register(registry);
        slowClientsDropped = Counter.builder("workjs.slow.clients.dropped").description("clients dropped for reading too slowly (maxQueuedBytes)").register(registry);
        FunctionCounter.builder("workjs.frames.sent", framesSent, LongAdder::sum).description("WebSocket frames queued to clients").register(registry);
        FunctionCounter.builder("workjs.bytes.sent", bytesSent, LongAdder::sum).description("payload bytes of the frames queued to clients").register(registry);
        FunctionCounter.builder("workjs.bytes.received", bytesReceived, LongAdder::sum).description("payload bytes of the frames clients sent").register(registry);
        Gauge.builder("workjs.js.loop.lag", loop, LoopGauges::lagSeconds).baseUnit("seconds")
                .description("how long the last probe task waited for the JS loop").register(registry);
        Gauge.builder("workjs.js.loop.busy.ratio", loop, LoopGauges::busyRatio)
                .description("share of the last second the JS loop spent running tasks").register(registry);
        for (String reason : new String[] {"origin", "limits", "draining", "init"}) deniedCounter(reason);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry, for what binds to it from outside (the database pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Reads the runtime's call statistics at each scrape from now on. */
    public void calls(CallStats stats) {
        this.calls = stats;
        registry.getPrometheusRegistry().register(stats);
    }

    /** Everything, in Prometheus's text format. */
    public synchronized String scrape() {
        CallStats stats = calls;
        if (stats != null) {
            stats.refresh();
            // the runtime counts init()'s refusals; the counter takes what is new since the last scrape
            double now = stats.deniedByInit();
            if (now > deniedByInitSeen) deniedCounter("init").increment(now - deniedByInitSeen);
            deniedByInitSeen = now;
        }
        return registry.scrape();
    }

    // ---- what the runtime and the transport report

    @Override
    public void loopBatch(int tasks, long waitedNanos, long ranNanos) {
        loopBusyNanos.add(ranNanos);
    }

    @Override
    public void watchdogInterrupted() {
        watchdogInterrupts.increment();
    }

    @Override
    public void eventEmitted() {
        eventsEmitted.increment();
    }

    @Override
    public void connected(String route) {
        connects.increment();
        gauge(route).incrementAndGet();
    }

    @Override
    public void disconnected(String route, String reason) {
        gauge(route).decrementAndGet();
        count(disconnects, "workjs.disconnects", "reason", reason, "WebSocket connections ended, by reason").increment();
    }

    @Override
    public void denied(String reason) {
        deniedCounter(reason).increment();
    }

    @Override
    public void frameSent(int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    @Override
    public void frameReceived(int bytes) {
        bytesReceived.add(bytes);
    }

    @Override
    public void slowClientDropped() {
        slowClientsDropped.increment();
    }

    @Override
    public void resume(String outcome) {
        count(resumes, "workjs.resumes", "outcome", outcome, "resumable connections' clients coming back, by outcome").increment();
    }

    /** Once a second ({@link LoopProbe}): the loop's busy share since the last sample. */
    void sampleBusy(long elapsedNanos) {
        loop.busy(loopBusyNanos.sumThenReset(), elapsedNanos);
    }

    /** The loop's lag: how long a probe waited (or, still waiting, has waited so far). */
    void lag(long nanos) {
        loop.lagNanos = nanos;
    }

    private Counter deniedCounter(String reason) {
        return count(denied, "workjs.denied", "reason", reason, "upgrades and connections refused, by reason");
    }

    private AtomicInteger gauge(String route) {
        return connections.computeIfAbsent(route, r -> {
            AtomicInteger open = new AtomicInteger();
            Gauge.builder("workjs.connections", open, AtomicInteger::get).tag("route", r)
                    .description("open WebSocket connections, by route").register(registry);
            return open;
        });
    }

    private Counter count(Map<String, Counter> counters, String name, String tag, String value, String description) {
        return counters.computeIfAbsent(value, v -> Counter.builder(name).tag(tag, v).description(description).register(registry));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The loop's last lag and busy share; written by the probe, read at scrapes. */
    private static final class LoopGauges {
        private volatile long lagNanos;
        private volatile double busy;

        void busy(long busyNanos, long elapsedNanos) {
            busy = elapsedNanos <= 0 ? 0 : Math.min(1.0, (double) busyNanos / elapsedNanos);
        }

        double lagSeconds() {
            return lagNanos / 1e9;
        }

        double busyRatio() {
            return busy;
        }
    }
}
