package glassbox.model;

import java.io.IOException;
import java.nio.file.Path;

/** A model file could not be read: the message names the file and what is wrong with it. */
public class ModelFormatException extends IOException {
    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
