package glassbox.train.stats;

import java.nio.file.Path;
import java.util.List;

/**
 * A run file as read by {@link RunReader}: the header and every record still in force (those superseded by a
 * resume are dropped), by kind, in step order.
 *
 * @param file       where it was read from
 * @param header     the first line
 * @param stats      stats records
 * @param epochs     epoch records
 * @param diagnoses  diagnoses
 * @param end        the end record, or null while the run is going (or was killed)
 * @param resumes    resume records
 * @param warnings   problems that did not stop the reading (a half-written last line), one line each
 * @param validBytes length of the file up to the end of its last whole record
 */
public record Run(Path file, RunRecord.Header header, List<RunRecord.Stats> stats, List<RunRecord.Epoch> epochs,
                  List<RunRecord.Diagnosis> diagnoses, RunRecord.End end, List<RunRecord.Resume> resumes,
                  List<String> warnings, long validBytes) {

    /** Index of parameter {@code name} in {@link RunRecord.Header#params()} (and in every stats record). */
    public int paramIndex(String name) {
        List<RunRecord.ParamInfo> ps = header.params();
        for (int i = 0; i < ps.size(); i++) if (ps.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("run " + file + " has no parameter '" + name + "'");
    }

    /** Index of layer {@code name} in {@link RunRecord.Header#layers()} (and in every stats record). */
    public int layerIndex(String name) {
        List<RunRecord.LayerInfo> ls = header.layers();
        for (int i = 0; i < ls.size(); i++) if (ls.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("run " + file + " has no layer '" + name + "'");
    }

    /** The step of the last stats or epoch record (0 if none). */
    public long lastStep() {
        long s = 0;
        if (!stats.isEmpty()) s = stats.getLast().step();
        if (!epochs.isEmpty()) s = Math.max(s, epochs.getLast().step());
        return s;
    }
}
