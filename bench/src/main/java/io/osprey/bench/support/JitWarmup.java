package io.osprey.bench.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warm-up that goes on until the JVMs measured next have compiled their hot paths: blocks of work, and after each
 * the share of its wall time their JIT compiler threads took; done when every share stayed under
 * {@link #QUIET_SHARE} for {@link #QUIET_BLOCKS} blocks in a row, or when the limit has passed. On two shared cores
 * a fixed warm-up is too short one day and too long the next: C2 keeps most of a core busy for tens of thousands of
 * requests, and its CPU is taken from the requests being measured.
 */
public final class JitWarmup {

    /** A JVM counts as compiled once its JIT compiler threads took less than this share of a block's wall time. */
    private static final double QUIET_SHARE = 0.05;
    /** Blocks in a row that must be quiet: C2 compiles in bursts, one quiet block can fall between two. */
    private static final int QUIET_BLOCKS = 2;

    /** One block of warm-up work; returns how many units (requests, files) it sent. */
    @FunctionalInterface
    public interface Block {
        int run(int index) throws Exception;
    }

    /**
     * What the warm-up did: units sent, seconds, whether the compilers went quiet, their shares in the last block,
     * and the CPU seconds of the whole warm-up ({@link CpuUsage#between}).
     */
    public record Result(int units, double seconds, boolean quiet, Map<String, Double> lastShares,
                         Map<String, Double> cpu) {

        /** {@code unit}: what the units are called in the JSON; {@code what}: what one block does. */
        public ObjectNode json(String unit, String what) {
            ObjectNode node = JsonLine.object();
            node.put(unit, units);
            JsonLine.put(node, "seconds", seconds);
            node.put("jit_quiet", quiet);
            node.set("last_block_jit_share", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(lastShares)));
            node.set("cpu_s", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(cpu)));
            node.put("measured", what + "; blocks of it until the JIT compiler threads of " + String.join(", ",
                    lastShares.keySet()) + " each took under " + QUIET_SHARE + " of the wall time of " + QUIET_BLOCKS
                    + " blocks in a row (jit_quiet), or the limit passed");
            return node;
        }
    }

    private JitWarmup() {
    }

    /** Runs blocks until the compilers of {@code jvms} are quiet or {@code limit} has passed (one block at least). */
    public static Result run(String label, Map<String, ProcessHandle> jvms, Duration limit, Block block)
            throws Exception {
        long begin = System.nanoTime();
        CpuUsage.Snapshot start = CpuUsage.snapshot(jvms);
        int units = 0;
        int quietBlocks = 0;
        Map<String, Double> shares = Map.of();
        for (int index = 0; quietBlocks < QUIET_BLOCKS && (index == 0 || System.nanoTime() - begin < limit.toNanos());
             index++) {
            CpuUsage.Snapshot before = CpuUsage.snapshot(jvms);
            units += block.run(index);
            CpuUsage.Snapshot after = CpuUsage.snapshot(jvms);
            shares = jitShares(CpuUsage.between(before, after), jvms.keySet(), (after.wallNanos() - before.wallNanos()) / 1e9);
            boolean quiet = shares.values().stream().allMatch(share -> share < QUIET_SHARE);
            quietBlocks = quiet ? quietBlocks + 1 : 0;
            Log.info("%s: %d after block %d; JIT share of its wall time: %s", label, units, index + 1,
                    CpuUsage.rounded(shares));
        }
        return new Result(units, (System.nanoTime() - begin) / 1e9, quietBlocks >= QUIET_BLOCKS, shares,
                CpuUsage.between(start, CpuUsage.snapshot(jvms)));
    }

    /** Each JVM's JIT compiler CPU over {@code seconds} of wall time; a JVM whose compilers /proc cannot show is left out. */
    static Map<String, Double> jitShares(Map<String, Double> cpu, Iterable<String> jvms, double seconds) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String jvm : jvms) {
            Double jit = cpu.get(jvm + CpuUsage.VmThreads.JIT.suffix);
            if (jit != null && seconds > 0) {
                shares.put(jvm, jit / seconds);
            }
        }
        return shares;
    }
}
