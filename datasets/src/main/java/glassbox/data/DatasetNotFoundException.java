package glassbox.data;

import java.io.IOException;

/**
 * A data set is on none of the searched paths and could not be downloaded. The message lists the files
 * to fetch, their checksums and URLs, the folder to put them in, and every place that was searched.
 */
public class DatasetNotFoundException extends IOException {
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
