package glassbox.viz;

import com.fasterxml.jackson.databind.JsonNode;
import glassbox.model.Model;
import glassbox.viz.activations.Activations;
import glassbox.viz.activations.Inputs;
import glassbox.viz.activations.TopPatches;
import glassbox.viz.render.JsonOut;
import glassbox.viz.testing.TinyModels;
import glassbox.viz.weights.ConvKernels;
import glassbox.viz.weights.KernelComparison;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every view's record serializes with Jackson into JSON that holds its numbers (arrays included). */
class RecordsJsonTest {
    private final Model model = TinyModels.randomize(TinyModels.lenet5(), 4, 0.3f);
    private final glassbox.data.Dataset data = TinyModels.randomImages(5, 6, 1, 32, 32, 10);

    private static JsonNode tree(Object record) throws Exception {
        return JsonOut.mapper().readTree(JsonOut.toJson(record));
    }

    @Test
    void activationsHoldEveryLayersValuesAndTheVerdict() throws Exception {
        List<String> names = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Activations a = Activations.of(model, Inputs.batch(data, new int[]{2}, Inputs.UNIT), "test #2", List.of(), "7", names, null);
        JsonNode j = tree(a);
        assertEquals("7", j.get("trueLabel").asText());
        assertEquals(a.predicted(), j.get("predicted").asText());
        assertEquals(10, j.get("probabilities").size());
        JsonNode conv1 = j.get("layers").get(0);
        assertEquals("conv1", conv1.get("layer").asText());
        assertEquals(a.layers().getFirst().values().length, conv1.get("values").size()); // a float[], not "[F@..."
        assertEquals(a.layers().getFirst().values()[5], conv1.get("values").get(5).floatValue());
        assertTrue(j.get("layers").get(a.layers().size() - 1).get("logits").asBoolean());
    }

    @Test
    void kernelsTopPatchesAndComparisonSerialize() throws Exception {
        var conv = ConvKernels.convLayers(model).getFirst();
        JsonNode k = tree(ConvKernels.weights(conv));
        assertEquals("WEIGHTS", k.get("quantity").asText());
        assertEquals(conv.weight().value().size(), k.get("values").size());
        assertTrue(k.get("loss").isNull(), "NaN is written as null");
        JsonNode t = tree(TopPatches.of(model, "conv1", data, Inputs.UNIT, 2, data.size(), 4));
        assertEquals(2, t.get("channels").get(0).get("patches").size());
        assertEquals(3, t.get("channels").get(0).get("patches").get(0).get("window").size());
        JsonNode c = tree(KernelComparison.of(List.of(new KernelComparison.Entry("tiny", conv.weight().value()))));
        assertEquals(KernelComparison.BINS, c.get("layers").get(0).get("summary").get("orientationHistogram").size());
    }
}
