package glassbox.viz.gradients;

import glassbox.loss.Gradients;
import glassbox.model.Model;
import glassbox.tensor.Tensor;

import java.util.List;

/**
 * What an explanation explains: a class score (the logit, before softmax) or one channel of a layer (the
 * sum of that channel's map over all positions, "what drives conv2 channel 5 here").
 */
public sealed interface Target {
    /** The logit of class {@code cls}. */
    record ClassScore(int cls) implements Target {
        @Override
        public String describe(List<String> classNames) {
            return "class " + cls + (cls < classNames.size() ? " (" + classNames.get(cls) + ")" : "");
        }
    }

    /** The sum over positions of channel {@code channel} of layer {@code layer}'s output. */
    record Channel(String layer, int channel) implements Target {
        @Override
        public String describe(List<String> classNames) {
            return layer + " channel " + channel;
        }
    }

    /** Human-readable, e.g. "class 3 (cat)" or "conv2 channel 5". */
    String describe(List<String> classNames);

    /** The explained score of every sample [N], read from the model after a forward that returned {@code logits}. */
    default float[] scores(Model m, Tensor logits) {
        return switch (this) {
            case ClassScore c -> {
                int n = logits.dim(0), k = logits.dim(1);
                if (c.cls() < 0 || c.cls() >= k) throw new IllegalArgumentException("class " + c.cls() + " outside 0.." + (k - 1));
                float[] s = new float[n];
                for (int i = 0; i < n; i++) s[i] = logits.data()[i * k + c.cls()];
                yield s;
            }
            case Channel ch -> channelSums(m.activation(ch.layer()), ch.channel());
        };
    }

    /** d(score)/d(output of {@link #layer(Model)}) for a batch: one-hot logits, or ones on the channel. */
    default Tensor outputGradient(Model m, Tensor logits) {
        return switch (this) {
            case ClassScore c -> {
                int[] classes = new int[logits.dim(0)];
                java.util.Arrays.fill(classes, c.cls());
                yield Gradients.oneHot(logits.shape(), classes);
            }
            case Channel ch -> Gradients.channel(m.activation(ch.layer()).shape(), ch.channel());
        };
    }

    /** Name of the layer whose output the score is read from (the last layer for a class score). */
    default String layer(Model m) {
        return switch (this) {
            case ClassScore c -> m.layers().getLast().name();
            case Channel ch -> ch.layer();
        };
    }

    /** Sum over positions of channel {@code c} of [N, C, ...], per sample. */
    static float[] channelSums(Tensor a, int c) {
        int n = a.dim(0), channels = a.dim(1), per = a.size() / (n * channels);
        if (c < 0 || c >= channels) throw new IllegalArgumentException("channel " + c + " outside 0.." + (channels - 1));
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = (i * channels + c) * per, e = j + per; j < e; j++) sum += a.data()[j];
            s[i] = (float) sum;
        }
        return s;
    }
}
