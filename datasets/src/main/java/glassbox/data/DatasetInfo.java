package glassbox.data;

import java.util.List;

/**
 * What Glassbox knows about one downloadable data set: its name, the folder it lives in under a data
 * directory ({@code ""} = directly in it), its classes, its file format and its files.
 */
public record DatasetInfo(String name, String title, String folder, List<String> classNames, Format format,
                          List<DataFile> files) {
    /** How the files are laid out. */
    public enum Format {
        /** Four IDX files: train/t10k images and labels. */
        IDX,
        /** The CIFAR-10 binary archive (or its extracted folder). */
        CIFAR10
    }

    public DatasetInfo {
        classNames = List.copyOf(classNames);
        files = List.copyOf(files);
    }

    /** The file called {@code name}. */
    public DataFile file(String name) {
        for (DataFile f : files) {
            if (f.name().equals(name)) return f;
        }
        throw new IllegalArgumentException(this.name + " has no file " + name);
    }
}
