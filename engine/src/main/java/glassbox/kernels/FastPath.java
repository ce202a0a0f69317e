package glassbox.kernels;

/**
 * The one switch for every fast path (as in llama3.java): when it is off, every kernel in this package runs its
 * scalar twin, the plain loops that define what the fast version computes: {@link Gemm}, {@link Conv} (whatever
 * its {@link ConvPlan} says, Winograd included), {@link Winograd} called directly, {@link Pool} and {@link Vec}.
 * "Scalar reference only" then means what it says: no SIMD, no im2col, no Winograd anywhere.
 *
 * <p>It is read from the system property {@code glassbox.scalar} once, when the class loads:
 * {@code java -Dglassbox.scalar=true ...} (for {@code ./glassbox}: {@code GLASSBOX_JAVA_OPTS="-Xmx8g -Xmn16m -Dglassbox.scalar=true"}) runs a
 * whole training on the definitions, e.g. to rule the fast kernels in or out when a result looks wrong. Tests and
 * benchmarks that compare the two within one process use the programmatic override {@link #set}. Which fast
 * route a convolution takes, rather than whether, is forced with {@link ConvPlan.Override}.
 *
 * <p>Left out: a switch per kernel family (one switch keeps "fast" and "reference" the only two states).
 */
public final class FastPath {
    private FastPath() {
    }

    /** The system property read at start-up; {@code true} runs the scalar twins only. */
    public static final String PROPERTY = "glassbox.scalar";

    private static volatile boolean on = !Boolean.getBoolean(PROPERTY);

    /** True when the fast kernels run, false when every kernel runs its scalar twin. */
    public static boolean on() {
        return on;
    }

    /**
     * Programmatic override of {@code -Dglassbox.scalar} (tests, benchmarks): {@code set(false)} routes every
     * kernel to its scalar twin until {@code set(true)}. Change it only between calls, not while kernels run on
     * other threads. Returns the previous setting, so a caller can restore it.
     */
    public static boolean set(boolean fast) {
        boolean was = on;
        on = fast;
        return was;
    }
}
