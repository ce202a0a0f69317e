package glassbox.explorer;

import glassbox.data.DataOptions;
import glassbox.model.ModelFile;
import glassbox.model.ModelIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models a user may pick in the explorer, each under a short id made from its file name. Requests name
 * a model by id only; paths are given once, on the command line, by the person who starts the server.
 */
public final class ModelRegistry {
    private final Map<String, ModelEntry> entries = new LinkedHashMap<>();
    private final DataOptions dataOptions;

    public ModelRegistry(DataOptions dataOptions) {
        this.dataOptions = dataOptions;
    }

    /** Where the models' data sets are looked for. */
    public DataOptions dataOptions() {
        return dataOptions;
    }

    /** Loads a model file (verified by {@link ModelIO#load}) and lists it; returns its id. */
    public String add(Path file) throws IOException {
        String base = file.getFileName().toString().replaceFirst("\\.gbx$", "");
        return add(base, ModelIO.load(file));
    }

    /** Loads a model file (verified by {@link ModelIO#load}) and lists it under {@code name}, e.g. a shipped model's name. */
    public String add(String name, Path file) throws IOException {
        return add(name, ModelIO.load(file));
    }

    /** Lists an in-memory model file under an id derived from {@code name} (made unique). */
    public synchronized String add(String name, ModelFile file) {
        String base = name.replaceAll("[^A-Za-z0-9._-]", "-");
        String id = base;
        for (int k = 2; entries.containsKey(id); k++) id = base + "-" + k;
        entries.put(id, new ModelEntry(id, file, dataOptions));
        return id;
    }

    public synchronized Collection<ModelEntry> all() {
        return java.util.List.copyOf(entries.values());
    }

    /** The model listed as {@code id}; 404 otherwise. */
    public synchronized ModelEntry get(String id) {
        ModelEntry e = entries.get(id);
        if (e == null) throw ApiException.notFound("no model '" + id + "' (see /api/models for the list)");
        return e;
    }
}
