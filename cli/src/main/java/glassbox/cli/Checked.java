package glassbox.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Range-checked numbers for options, checked while the command line is parsed, so a bad value fails before
 * any work with its range in the message: {@code glassbox train: --epochs must be a whole number >= 1, got 0}.
 * Use as {@code @Option(names = "--epochs", converter = Checked.AtLeastOne.class)}. Leaves out options whose
 * range depends on data (an image index: its range is known once the split is loaded).
 */
final class Checked {
    private Checked() {
    }

    /** A whole number in {@code [min, max]}; says "whole number" and the range when the text is not one. */
    static long whole(String text, long min, long max) {
        BigInteger v;
        try {
            v = new BigInteger(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a whole number " + range(min, max) + ", got '" + text + "'");
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new TypeConversionException("must be a whole number " + range(min, max) + ", got " + text.trim());
        }
        return v.longValueExact();
    }

    /** A finite number {@code >= min} (or {@code > min} when {@code open}) and {@code < below} when given. */
    static double real(String text, double min, boolean open, double below) {
        double v;
        try {
            v = new BigDecimal(text.trim()).doubleValue();
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a number " + realRange(min, open, below) + ", got '" + text + "'");
        }
        boolean ok = Double.isFinite(v) && (open ? v > min : v >= min) && (Double.isNaN(below) || v < below);
        if (!ok) throw new TypeConversionException("must be a number " + realRange(min, open, below) + ", got " + text.trim());
        return v;
    }

    private static String range(long min, long max) {
        if (min == Long.MIN_VALUE) return "(64-bit)";
        return max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? ">= " + min : "from " + min + " to " + max;
    }

    private static String realRange(double min, boolean open, double below) {
        String lo = (open ? "> " : ">= ") + fmt(min);
        return Double.isNaN(below) ? lo : lo + " and < " + fmt(below);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** An int >= 1: epochs, batch sizes, counts of images, threads, k. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) whole(s, 1, Integer.MAX_VALUE);
        }
    }

    /** An int >= 0: indices. */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) whole(s, 0, Integer.MAX_VALUE);
        }
    }

    /** How often training statistics are recorded: every 1 to 1,000,000 steps. */
    static final class StatsEvery implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) whole(s, 1, 1_000_000);
        }
    }

    /** A TCP port, 0 to 65535 (0: any free port). */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            return (int) whole(s, 0, 65535);
        }
    }

    /** Any whole number that fits a long: seeds. */
    static final class AnyLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String s) {
            return whole(s, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** A number > 0: learning rates. */
    static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            return real(s, 0, true, Double.NaN);
        }
    }

    /** A number >= 0: weight decay, warm-up epochs, clipping norm (0: off). */
    static final class NonNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            return real(s, 0, false, Double.NaN);
        }
    }

    /** A number in [0, 1): momentum. */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            return real(s, 0, false, 1);
        }
    }
}
