package glassbox.explorer;

import glassbox.data.DataOptions;
import glassbox.model.Model;
import glassbox.model.ModelFile;
import glassbox.model.Zoo;

import java.util.List;
import java.util.Map;

/** Untrained zoo models wrapped as model files, with the embedded MNIST sample as their data (always offline). */
final class TestModels {
    private TestModels() {
    }

    static ModelFile lenet5() {
        Map<String, String> opts = Zoo.options(new int[]{1, 28, 28}, 10);
        Model m = Zoo.build("lenet5", opts, 7);
        return new ModelFile("lenet5", opts, m.inputShape(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[]{0.1307f}, new float[]{0.3081f}, Map.of("dataset", "sample"), m.state());
    }

    /** A registry with one lenet5 listed as "lenet5", never downloading. */
    static ModelRegistry registry() {
        ModelRegistry r = new ModelRegistry(DataOptions.defaults().withDownload(false));
        r.add("lenet5", lenet5());
        return r;
    }
}
