package glassbox.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Old build against new build in one process: each benchmarks jar (e.g. one built from main, one from a
 * branch) is loaded by its own class loader, so both have their own kernels, thread pool and JIT-compiled
 * code, and the two take turns round after round (who goes first alternates). On a machine shared with other
 * jobs both then see the same load, which two separate runs never do. Printed: medians over the rounds of
 * wall-clock ms per call and of the calling thread's CPU ms per call (the robust figure on one thread; with
 * two threads only the wall clock counts the second one), and old / new ratios.
 *
 * <p>Workloads: {@code step:lenet5} (one training step, batch 64, as {@link Step}),
 * {@code conv:forward|backwardInput|backwardWeight:cin,h,w,cout,k,stride,pad} (batch 64),
 * {@code conv:train:cin,h,w,cout,k,stride,pad[:first]} (forward keeping the im2col matrices, backwardWeight
 * from them, then backwardInput unless {@code first}: what a Conv2d layer does in a training step), and
 * {@code gemm:m,n,k} (20 calls of C = A·B). Append {@code #off=ROUTES} to a jar path to run that build with
 * those convolution routes switched off ({@code glassbox.kernels.ConvPlan.Override.parse}, e.g.
 * {@code #off=winograd,grouping}); {@code #nogroup} is {@code #off=grouping} (builds from before ConvPlan: their
 * {@code Conv.groupColumns = 0}). Uses only public API that both builds have; not JMH.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar glassbox.bench.JarAB
 * step:lenet5 1 old/benchmarks.jar benchmarks/target/benchmarks.jar [rounds]}.
 */
public final class JarAB {
    private JarAB() {
    }

    public static void main(String[] a) throws Exception {
        if (a.length < 4) {
            System.err.println("usage: JarAB WORKLOAD THREADS OLD.jar NEW.jar [ROUNDS]  (see the class comment)");
            System.exit(2);
        }
        String what = a[0];
        int threads = Integer.parseInt(a[1]);
        int rounds = a.length > 4 ? Integer.parseInt(a[4]) : 15;
        Runnable[] calls = {workload(what, threads, a[2]), workload(what, threads, a[3])};
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        double[][] wall = new double[2][rounds], cpu = new double[2][rounds];
        long warmEnd = System.nanoTime() + 4_000_000_000L; // both JIT-compiled before timing
        while (System.nanoTime() < warmEnd) {
            calls[0].run();
            calls[1].run();
        }
        for (int t = 0; t < rounds; t++)
            for (int turn = 0; turn < 2; turn++) {
                int v = t % 2 == 0 ? turn : 1 - turn;
                int k = 0;
                long w0 = System.nanoTime(), c0 = clock.getCurrentThreadCpuTime();
                while (System.nanoTime() - w0 < 300_000_000L || k < 2) {
                    calls[v].run();
                    k++;
                }
                wall[v][t] = (System.nanoTime() - w0) / 1e6 / k;
                cpu[v][t] = (clock.getCurrentThreadCpuTime() - c0) / 1e6 / k;
            }
        double w0 = BenchData.median(wall[0]), w1 = BenchData.median(wall[1]), c0 = BenchData.median(cpu[0]), c1 = BenchData.median(cpu[1]);
        System.out.printf("%-42s %dt  wall ms old %.3f new %.3f (%.2fx) | thread CPU ms old %.3f new %.3f (%.2fx)%n",
                what, threads, w0, w1, w0 / w1, c0, c1, c0 / c1);
    }

    /** The workload as run by the build in {@code jar} (with "#off=...": those conv routes switched off). */
    private static Runnable workload(String what, int threads, String jar) throws Exception {
        int hash = jar.indexOf('#');
        String off = hash < 0 ? "" : jar.substring(hash + 1).replace("nogroup", "off=grouping");
        if (!off.isEmpty() && !off.startsWith("off=")) throw new IllegalArgumentException("after # expected off=ROUTES or nogroup: " + jar);
        Path path = Path.of(hash < 0 ? jar : jar.substring(0, hash));
        ClassLoader cl = new URLClassLoader(new URL[]{path.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        cl.loadClass("glassbox.kernels.Parallel").getMethod("setThreads", int.class).invoke(null, threads);
        if (!off.isEmpty()) switchOff(cl, off.substring("off=".length()));
        String[] p = what.split(":");
        Random r = new Random(1);
        switch (p[0]) {
            case "step" -> {
                Class<?> step = cl.loadClass("glassbox.bench.Step");
                Object s = step.getConstructor(String.class, int.class, boolean.class).newInstance(p[1], 64, true);
                return call(step.getMethod("train"), s);
            }
            case "gemm" -> {
                int[] g = ints(p[1]);
                float[] x = BenchData.gaussian(r, g[0] * g[2]), y = BenchData.gaussian(r, g[2] * g[1]), c = new float[g[0] * g[1]];
                Method gemm = cl.loadClass("glassbox.kernels.Gemm").getMethod("gemm", boolean.class, boolean.class,
                        int.class, int.class, int.class, float[].class, int.class, int.class, float[].class, int.class,
                        int.class, float[].class, int.class, int.class, boolean.class);
                Runnable one = call(gemm, false, false, g[0], g[1], g[2], x, 0, g[2], y, 0, g[1], c, 0, g[1], false);
                return () -> {
                    for (int q = 0; q < 20; q++) one.run();
                };
            }
            case "conv" -> {
                int[] g = ints(p[2]);
                Class<?> shape = cl.loadClass("glassbox.kernels.ConvShape"), conv = cl.loadClass("glassbox.kernels.Conv");
                Object s = shape.getConstructor(int.class, int.class, int.class, int.class, int.class, int.class, int.class,
                        int.class).newInstance(64, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
                int ho = (g[1] + 2 * g[6] - g[4]) / g[5] + 1, wo = (g[2] + 2 * g[6] - g[4]) / g[5] + 1;
                float[] x = BenchData.gaussian(r, 64 * g[0] * g[1] * g[2]), w = BenchData.gaussian(r, g[3] * g[0] * g[4] * g[4]);
                float[] b = BenchData.gaussian(r, g[3]), dy = BenchData.gaussian(r, 64 * g[3] * ho * wo);
                float[] y = new float[dy.length], dx = new float[x.length], dw = new float[w.length], db = new float[b.length];
                Class<?> f = float[].class;
                Method fwd = conv.getMethod("forward", shape, f, f, f, f), bi = conv.getMethod("backwardInput", shape, f, f, f);
                Method bw = conv.getMethod("backwardWeight", shape, f, f, f, f);
                return switch (p[1]) {
                    case "forward" -> call(fwd, s, x, w, b, y);
                    case "backwardInput" -> call(bi, s, dy, w, dx);
                    case "backwardWeight" -> call(bw, s, x, dy, dw, db);
                    case "train" -> {
                        float[] cols = new float[(int) (long) conv.getMethod("colsLength", shape).invoke(null, s)]; // each build's own layout
                        Runnable f1 = call(conv.getMethod("forward", shape, f, f, f, f, f), s, x, w, b, y, cols);
                        Runnable f2 = call(conv.getMethod("backwardWeight", shape, f, f, f, f, f), s, x, dy, dw, db, cols);
                        Runnable f3 = p.length > 3 && p[3].equals("first") ? () -> { } : call(bi, s, dy, w, dx);
                        yield () -> {
                            f1.run();
                            f2.run();
                            f3.run();
                        };
                    }
                    default -> throw new IllegalArgumentException("unknown conv kernel " + p[1]);
                };
            }
            default -> throw new IllegalArgumentException("unknown workload " + what + " (step:, conv:, gemm:)");
        }
    }

    /** ConvPlan.setOverride(Override.parse(routes)) in the build of {@code cl}; in builds without ConvPlan only "grouping". */
    private static void switchOff(ClassLoader cl, String routes) throws ReflectiveOperationException {
        Class<?> plan;
        try {
            plan = cl.loadClass("glassbox.kernels.ConvPlan");
        } catch (ClassNotFoundException older) {
            if (!routes.equals("grouping")) throw new IllegalArgumentException("this build has no ConvPlan: only #nogroup");
            cl.loadClass("glassbox.kernels.Conv").getField("groupColumns").setInt(null, 0);
            return;
        }
        Class<?> override = cl.loadClass("glassbox.kernels.ConvPlan$Override");
        plan.getMethod("setOverride", override).invoke(null, override.getMethod("parse", String.class).invoke(null, routes));
    }

    private static Runnable call(Method m, Object target, Object... args) {
        boolean isStatic = java.lang.reflect.Modifier.isStatic(m.getModifiers());
        Object[] all = isStatic ? prepend(target, args) : args;
        Object self = isStatic ? null : target;
        return () -> {
            try {
                m.invoke(self, all);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
