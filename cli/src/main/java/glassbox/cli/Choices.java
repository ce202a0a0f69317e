package glassbox.cli;

import glassbox.data.Split;
import glassbox.viz.gradients.IntegratedGradients;
import glassbox.viz.render.Scaling;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The fixed choices of command-line options, as enums: picocli checks them, lists them in the help with
 * {@code ${COMPLETION-CANDIDATES}}, and {@link #register} makes every one case-insensitive with an error that
 * names the valid words as the user types them ("expected one of global, per-tile"). Each prints as the
 * lower-case word the user types and the engine's configuration takes.
 */
final class Choices {
    private Choices() {
    }

    /** Registers a case-insensitive converter for every choice enum the commands use. */
    static CommandLine register(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Scaling.class, converter(Scaling.class));
        cl.registerConverter(Split.class, converter(Split.class));
        cl.registerConverter(Optimizer.class, converter(Optimizer.class));
        cl.registerConverter(Schedule.class, converter(Schedule.class));
        cl.registerConverter(ExplainCommand.TargetChoice.class, converter(ExplainCommand.TargetChoice.class));
        cl.registerConverter(IntegratedGradients.Baseline.class, converter(IntegratedGradients.Baseline.class));
        cl.registerConverter(IntegratedGradients.Rule.class, converter(IntegratedGradients.Rule.class));
        cl.registerConverter(RobustnessCommand.AttackName.class, converter(RobustnessCommand.AttackName.class));
        cl.registerConverter(RobustnessCommand.NormName.class, converter(RobustnessCommand.NormName.class));
        cl.registerConverter(glassbox.viz.robustness.Corruption.class, converter(glassbox.viz.robustness.Corruption.class));
        cl.registerConverter(EmbedCommand.MethodName.class, converter(EmbedCommand.MethodName.class));
        return cl;
    }

    /** The user's word for a choice: its toString, or for enums that do not override it the lower-case name. */
    static String word(Enum<?> e) {
        String s = e.toString();
        return s.equals(e.name()) ? e.name().toLowerCase(Locale.ROOT) : s;
    }

    /** Matches a value to one of {@code type}'s constants by word or name, ignoring case and '-' vs '_'. */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> type) {
        return value -> {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E e : type.getEnumConstants()) {
                if (word(e).replace('_', '-').equals(v) || e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(v)) return e;
            }
            throw new CommandLine.TypeConversionException("expected one of "
                    + Arrays.stream(type.getEnumConstants()).map(Choices::word).collect(Collectors.joining(", ")) + " but was '" + value + "'");
        };
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
