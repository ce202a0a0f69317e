package glassbox.cli;

import java.util.Locale;

/**
 * The fixed choices of command-line options, as enums: picocli checks them (case-insensitively, see
 * {@link Main#run}), lists them in the help with {@code ${COMPLETION-CANDIDATES}} and names the valid ones
 * in its error. Each prints as the lower-case word the user types and the engine's configuration takes.
 */
final class Choices {
    private Choices() {
    }

    /** {@code --optimizer}: see {@link glassbox.train.TrainConfig}. */
    enum Optimizer {
        SGD, NESTEROV, ADAM, ADAMW;

        /** Adam and AdamW take a smaller default learning rate than SGD. */
        boolean adaptive() {
            return this == ADAM || this == ADAMW;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code --schedule}: see {@link glassbox.optim.LrSchedule}. */
    enum Schedule {
        CONSTANT, STEP, COSINE, ONECYCLE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
