package io.osprey.bench.execution;

import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * K client threads drive executions through the command API. Each thread takes the next execution from a
 * shared counter and sends its commands one after another:
 * create, state RUNNING, per task run (create, RUNNING, SUCCESS), state SUCCESS.
 */
final class ExecutionLoad {

    static final String NAMESPACE = "io.osprey.bench";
    static final String FLOW_ID = "bench-executions";
    private static final int MAX_ERRORS = 25;

    /** Result of one phase (warm-up or a measured round). */
    record PhaseResult(long commands, double seconds, Histogram latencyMicros, List<ExecutionTrace> traces,
                       long errors, List<String> errorSamples, long missingPositions) {
        double commandsPerSecond() {
            return seconds > 0 ? commands / seconds : 0;
        }
    }

    private final CommandApi api;
    private final int taskRuns;
    private final int clients;
    private final LagProbe probe;
    private final int lagSampleEvery;

    ExecutionLoad(CommandApi api, int taskRuns, int clients, LagProbe probe, int lagSampleEvery) {
        this.api = api;
        this.taskRuns = taskRuns;
        this.clients = clients;
        this.probe = probe;
        this.lagSampleEvery = lagSampleEvery;
    }

    static int commandsPerExecution(int taskRuns) {
        return 3 + 3 * taskRuns;
    }

    PhaseResult run(String phase, int executions, int firstIndex) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong commands = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong missingPositions = new AtomicLong();
        AtomicLong sampleCounter = new AtomicLong();
        AtomicBoolean abort = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ExecutionTrace> traces = new ConcurrentLinkedQueue<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();

        Log.info("%s: %d executions x %d task runs (%d commands) with %d clients", phase, executions, taskRuns,
                (long) executions * commandsPerExecution(taskRuns), clients);
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            Histogram histogram = LatencySummary.newHistogram();
            histograms.add(histogram);
            Worker worker = new Worker(histogram, commands, errors, missingPositions, sampleCounter, errorSamples,
                    traces, abort);
            Thread thread = new Thread(() -> {
                int i;
                while (!abort.get() && (i = next.getAndIncrement()) < executions) {
                    worker.execution(firstIndex + i);
                }
            }, "bench-client-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long lastReport = System.nanoTime();
        long lastCommands = 0;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(1000);
                long now = System.nanoTime();
                if (now - lastReport >= 5_000_000_000L) {
                    long done = commands.get();
                    Log.info("%s: %d commands, %.0f commands/s over the last %.1f s, %d errors", phase, done,
                            (done - lastCommands) / ((now - lastReport) / 1e9), (now - lastReport) / 1e9,
                            errors.get());
                    lastReport = now;
                    lastCommands = done;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram merged = LatencySummary.newHistogram();
        histograms.forEach(merged::add);
        Log.info("%s: %d commands in %.2f s = %.1f commands/s, p99 %.2f ms, %d errors", phase, commands.get(),
                seconds, commands.get() / seconds, merged.getValueAtPercentile(99) / 1000.0, errors.get());
        return new PhaseResult(commands.get(), seconds, merged, List.copyOf(traces), errors.get(),
                List.copyOf(errorSamples), missingPositions.get());
    }

    /** Per-thread state; histograms are single-writer. */
    private final class Worker {
        private final Histogram histogram;
        private final AtomicLong commands;
        private final AtomicLong errors;
        private final AtomicLong missingPositions;
        private final AtomicLong sampleCounter;
        private final ConcurrentLinkedQueue<String> errorSamples;
        private final ConcurrentLinkedQueue<ExecutionTrace> traces;
        private final AtomicBoolean abort;

        Worker(Histogram histogram, AtomicLong commands, AtomicLong errors, AtomicLong missingPositions,
               AtomicLong sampleCounter, ConcurrentLinkedQueue<String> errorSamples,
               ConcurrentLinkedQueue<ExecutionTrace> traces, AtomicBoolean abort) {
            this.histogram = histogram;
            this.commands = commands;
            this.errors = errors;
            this.missingPositions = missingPositions;
            this.sampleCounter = sampleCounter;
            this.errorSamples = errorSamples;
            this.traces = traces;
            this.abort = abort;
        }

        void execution(int index) {
            long[] positions = new long[commandsPerExecution(taskRuns)];
            java.util.Arrays.fill(positions, -1);
            int c = 0;
            String what = "create execution #" + index;
            String executionId = null;
            try {
                CommandApi.Reply reply = api.createExecution(NAMESPACE, FLOW_ID, index);
                if (!accept(what, reply, positions, c++, null, false)) {
                    return;
                }
                executionId = reply.id();
                if (executionId == null || executionId.isBlank()) {
                    fail(what + ": reply has no \"id\": " + reply.body());
                    return;
                }
                what = "execution " + executionId + " state RUNNING";
                if (!accept(what, api.executionState(executionId, "RUNNING"), positions, c++, executionId, false)) {
                    return;
                }
                for (int t = 0; t < taskRuns; t++) {
                    String taskId = "task-" + t;
                    what = "execution " + executionId + " create task run " + taskId;
                    reply = api.createTaskRun(executionId, taskId);
                    if (!accept(what, reply, positions, c++, executionId, false)) {
                        return;
                    }
                    String taskRunId = reply.taskRunId();
                    if (taskRunId == null || taskRunId.isBlank()) {
                        fail(what + ": reply has no \"taskRunId\": " + reply.body());
                        return;
                    }
                    what = "task run " + executionId + "/" + taskRunId + " state RUNNING";
                    if (!accept(what, api.taskRunState(executionId, taskRunId, "RUNNING"), positions, c++,
                            executionId, false)) {
                        return;
                    }
                    what = "task run " + executionId + "/" + taskRunId + " state SUCCESS";
                    if (!accept(what, api.taskRunState(executionId, taskRunId, "SUCCESS"), positions, c++,
                            executionId, false)) {
                        return;
                    }
                }
                what = "execution " + executionId + " state SUCCESS";
                accept(what, api.executionState(executionId, "SUCCESS"), positions, c++, executionId, true);
            } catch (IOException e) {
                fail(what + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort.set(true);
            } finally {
                if (executionId != null) {
                    traces.add(new ExecutionTrace(executionId, positions));
                }
            }
        }

        private boolean accept(String what, CommandApi.Reply reply, long[] positions, int slot, String executionId,
                               boolean last) {
            commands.incrementAndGet();
            if (!reply.ok()) {
                fail(what + ": HTTP " + reply.status() + " " + abbreviate(reply.body()));
                return false;
            }
            LatencySummary.recordNanos(histogram, reply.latencyNanos());
            positions[slot] = reply.position();
            if (reply.position() < 0) {
                missingPositions.incrementAndGet();
            } else if (probe != null) {
                String id = executionId != null ? executionId : reply.id();
                boolean sample = last || (lagSampleEvery > 0 && sampleCounter.incrementAndGet() % lagSampleEvery == 0);
                if (sample && id != null) {
                    probe.submit(id, reply.position(), reply.receivedNanos());
                }
            }
            return true;
        }

        private void fail(String message) {
            long n = errors.incrementAndGet();
            if (errorSamples.size() < 10) {
                errorSamples.add(message);
            }
            if (n <= 5) {
                Log.info("ERROR %s", message);
            }
            if (n >= MAX_ERRORS && abort.compareAndSet(false, true)) {
                Log.info("ERROR too many failed commands (%d), stopping the load", n);
            }
        }
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
