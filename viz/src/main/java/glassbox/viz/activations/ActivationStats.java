package glassbox.viz.activations;

import glassbox.model.Model;
import glassbox.tensor.Tensor;
import glassbox.viz.render.BitmapFont;
import glassbox.viz.render.Fmt;
import glassbox.viz.render.Page;
import glassbox.viz.render.Raster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer activation statistics on a batch: mean, standard deviation, the fraction of exact zeros (after
 * a ReLU: how sparse the code is) and the fraction of channels that are zero on every sample and position
 * ("dead" units). Healthy deep nets keep std from collapsing or exploding layer after layer (Glorot &amp;
 * Bengio 2010). Reads {@code Layer.output()} after {@code model.forward(batch, false)}.
 */
public final class ActivationStats {
    /** Numbers of one layer's output over the batch. */
    public record LayerStats(String layer, String type, int[] shape, double mean, double std, double zeroFraction,
                             double deadChannelFraction) {
    }

    private ActivationStats() {
    }

    /** Statistics of every layer (blocks included, each after its children) from the last forward pass. */
    public static List<LayerStats> of(Model model) {
        List<LayerStats> out = new ArrayList<>();
        for (String name : LayerGeometry.outputShapes(model).keySet()) {
            var l = model.layer(name);
            Tensor a = l.output();
            if (a == null) continue;
            out.add(of(l.name(), l.getClass().getSimpleName(), a));
        }
        return out;
    }

    /** Statistics of one activation tensor [N, C, ...]. */
    public static LayerStats of(String name, String type, Tensor a) {
        float[] d = a.data();
        double sum = 0, sq = 0;
        long zeros = 0;
        for (float v : d) {
            sum += v;
            sq += (double) v * v;
            if (v == 0f) zeros++;
        }
        double mean = sum / d.length, var = Math.max(0, sq / d.length - mean * mean);
        int n = a.dim(0), c = a.rank() >= 2 ? a.dim(1) : 1, per = d.length / (n * c);
        int dead = 0;
        for (int ch = 0; ch < c; ch++) {
            boolean allZero = true;
            for (int b = 0; b < n && allZero; b++) {
                int base = (b * c + ch) * per;
                for (int i = 0; i < per; i++) {
                    if (d[base + i] != 0f) {
                        allZero = false;
                        break;
                    }
                }
            }
            if (allZero) dead++;
        }
        return new LayerStats(name, type, a.shape(), mean, Math.sqrt(var), zeros / (double) d.length, dead / (double) c);
    }

    /** A table: layer, type, shape, mean, std, zeros (with a bar), dead channels. */
    public static Raster render(List<LayerStats> stats, int batch) {
        String[] head = {"layer", "type", "shape", "mean", "std", "zeros", "", "dead ch"};
        List<String[]> rows = new ArrayList<>();
        for (LayerStats s : stats) {
            int[] sh = s.shape().clone();
            rows.add(new String[]{s.layer(), s.type(), Arrays.toString(Arrays.copyOfRange(sh, 1, sh.length)).replace(" ", ""),
                    Fmt.num(s.mean()), Fmt.num(s.std()), Math.round(100 * s.zeroFraction()) + "%", "", Math.round(100 * s.deadChannelFraction()) + "%"});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = BitmapFont.width(head[i], 1);
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], BitmapFont.width(r[i], 1));
        w[6] = 60; // the zeros bar
        int rowH = 12, total = 0;
        for (int x : w) total += x + 12;
        Raster t = new Raster(total, (rows.size() + 1) * rowH + 4, Raster.WHITE);
        int x = 0;
        for (int i = 0; i < head.length; i++) {
            BitmapFont.draw(t, x, 0, head[i], Raster.BLACK, 1);
            x += w[i] + 12;
        }
        t.fillRect(0, rowH - 2, total, 1, Raster.MID_GRAY);
        for (int r = 0; r < rows.size(); r++) {
            x = 0;
            int y = (r + 1) * rowH + 2;
            if (r % 2 == 1) t.fillRect(0, y - 2, total, rowH, 0xF2F2F2);
            for (int i = 0; i < head.length; i++) {
                if (i == 6) {
                    t.fillRect(x, y, 60, 7, 0xDDDDDD);
                    t.fillRect(x, y, (int) Math.round(60 * stats.get(r).zeroFraction()), 7, 0x21918c);
                } else {
                    BitmapFont.draw(t, x, y, rows.get(r)[i], Raster.DARK_GRAY, 1);
                }
                x += w[i] + 12;
            }
        }
        Page p = new Page("Activation statistics over a batch of " + batch);
        p.text("zeros = share of exact zeros (sparsity after ReLU); dead ch = channels zero on every image and position.");
        p.add(t);
        return p.render();
    }

    public static List<Object> numbers(List<LayerStats> stats) {
        List<Object> l = new ArrayList<>();
        for (LayerStats s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", s.layer());
            m.put("type", s.type());
            m.put("shape", s.shape());
            m.put("mean", s.mean());
            m.put("std", s.std());
            m.put("zeroFraction", s.zeroFraction());
            m.put("deadChannelFraction", s.deadChannelFraction());
            l.add(m);
        }
        return l;
    }
}
