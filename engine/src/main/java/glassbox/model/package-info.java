/**
 * Whole networks: {@link glassbox.model.Model} (named layers, open internals), the {@link glassbox.model.Zoo}
 * of architectures buildable by name, their initialization ({@link glassbox.model.Init}, He/Xavier, seeded)
 * and model files ({@link glassbox.model.ModelIO}: versioned, checksummed, written atomically).
 */
package glassbox.model;
