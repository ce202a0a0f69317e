package glassbox.viz.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The numbers behind every view as JSON, through one Jackson {@link ObjectMapper}: records serialize by
 * their components, {@code float[]}/{@code double[]} as number arrays, and NaN or infinity as {@code null}
 * (JSON has no NaN; Jackson's default would write the string "NaN"). Output is indented, arrays on one
 * line, keys in declaration order. The CLI writes files with it, the web explorer answers with the same
 * mapper, so a record reads the same in both.
 */
public final class JsonOut {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(finiteOrNull())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonOut() {
    }

    /** The shared mapper (thread-safe once configured): for HTTP answers and for reading files back. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as indented JSON text, ending in a newline. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot turn " + value.getClass().getSimpleName() + " into JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file}, creating parent directories; atomic like {@link Png#write}. */
    public static void write(Object value, Path file) {
        String json = toJson(value);
        AtomicFile.write(file, out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Reads a JSON file written by {@link #write} back into {@code type}. */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static SimpleModule finiteOrNull() {
        SimpleModule m = new SimpleModule("glassbox-finite-or-null");
        StdSerializer<Double> d = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (Double.isFinite(v)) g.writeNumber(v);
                else g.writeNull();
            }
        };
        StdSerializer<Float> f = new StdSerializer<>(Float.class) {
            @Override
            public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (Float.isFinite(v)) g.writeNumber(v);
                else g.writeNull();
            }
        };
        StdSerializer<float[]> fa = new StdSerializer<>(float[].class) {
            @Override
            public void serialize(float[] a, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(a, a.length);
                for (float v : a) {
                    if (Float.isFinite(v)) g.writeNumber(v);
                    else g.writeNull();
                }
                g.writeEndArray();
            }
        };
        StdSerializer<double[]> da = new StdSerializer<>(double[].class) {
            @Override
            public void serialize(double[] a, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(a, a.length);
                for (double v : a) {
                    if (Double.isFinite(v)) g.writeNumber(v);
                    else g.writeNull();
                }
                g.writeEndArray();
            }
        };
        m.addSerializer(Double.class, d).addSerializer(Double.TYPE, d);
        m.addSerializer(Float.class, f).addSerializer(Float.TYPE, f);
        m.addSerializer(float[].class, fa).addSerializer(double[].class, da);
        return m;
    }
}
