package glassbox.viz.render;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the numbers behind a rendering as JSON, from plain maps, lists, strings, numbers, booleans and
 * records-turned-maps. Keys keep insertion order (use a {@code LinkedHashMap}). Non-finite numbers become
 * {@code null}, as JSON has no NaN. Leaves out parsing: the files are for people and notebooks to read.
 */
public final class Json {
    private Json() {
    }

    public static String toJson(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 0);
        return b.append('\n').toString();
    }

    public static void write(Object v, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, toJson(v), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(StringBuilder b, Object v, int indent) {
        switch (v) {
            case null -> b.append("null");
            case String s -> quote(b, s);
            case Boolean x -> b.append(x);
            case Integer x -> b.append(x);
            case Long x -> b.append(x);
            case Number x -> {
                double d = x.doubleValue();
                if (!Double.isFinite(d)) b.append("null");
                else if (d == Math.rint(d) && Math.abs(d) < 1e15) b.append((long) d);
                else b.append(new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toString()); // 6 digits
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                    quote(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    write(b, e.getValue(), indent + 1);
                    first = false;
                }
                b.append("\n").append("  ".repeat(indent)).append("}");
            }
            case List<?> l -> {
                boolean flat = l.stream().allMatch(x -> x == null || x instanceof Number || x instanceof String || x instanceof Boolean);
                b.append("[");
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(flat ? ", " : ",");
                    if (!flat) b.append("\n").append("  ".repeat(indent + 1));
                    write(b, l.get(i), indent + 1);
                }
                if (!flat && !l.isEmpty()) b.append("\n").append("  ".repeat(indent));
                b.append("]");
            }
            case int[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), indent);
            case double[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), indent);
            default -> quote(b, v.toString());
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
