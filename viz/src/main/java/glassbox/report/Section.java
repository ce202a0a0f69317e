package glassbox.report;

import java.util.List;

/**
 * One section of a report: a stable id (the anchor {@code #id} in the page, the same in every report), a
 * title, two or three sentences of our own on what the pictures show and what to look for, the command lines
 * that render the same pictures, and the body (figures, tables, notes) as HTML.
 *
 * @param text     HTML paragraphs ({@code <p>...</p>}) explaining the section
 * @param commands command lines, shown as typed ({@code ./glassbox ...})
 * @param body     HTML of the pictures and tables, relative links to files beside {@code index.html}
 */
public record Section(String id, String title, String text, List<String> commands, String body) {
    public Section {
        commands = List.copyOf(commands);
    }
}
