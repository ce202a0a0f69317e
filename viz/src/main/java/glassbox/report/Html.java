package glassbox.report;

import java.nio.file.Path;
import java.util.List;

/**
 * The HTML of a report: escaping, the few elements sections are made of (figures, tables, command lines) and
 * the page around them, with its screen and print style sheets inline. The page loads nothing from the
 * network and runs no script: every picture is a file beside {@code index.html}, referenced by a relative path.
 *
 * <p>Leaves out any interactivity (that is the explorer's job, {@code ./glassbox serve}).
 */
final class Html {
    private Html() {
    }

    /** {@code s} with the five characters that mean something in HTML escaped. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A relative URL of {@code file} as seen from {@code dir}, with '/' separators (works from disk on every OS). */
    static String href(Path dir, Path file) {
        Path rel = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        StringBuilder b = new StringBuilder();
        for (Path part : rel) {
            if (!b.isEmpty()) b.append('/');
            b.append(java.net.URLEncoder.encode(part.toString(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /**
     * A picture with its caption. {@code raster}: a true image (kernels, maps) drawn with nearest-neighbour
     * scaling in the browser; a chart is scaled smoothly.
     */
    static String figure(String href, String caption, boolean raster) {
        return "<figure><a href=\"" + esc(href) + "\"><img src=\"" + esc(href) + "\" alt=\"" + esc(caption) + "\""
                + (raster ? " class=\"raster\"" : "") + "></a>"
                + (caption.isEmpty() ? "" : "<figcaption>" + esc(caption) + "</figcaption>") + "</figure>\n";
    }

    /** Figures side by side where the page is wide enough (one per row when printed or narrow). */
    static String row(List<String> figures) {
        return "<div class=\"row\">\n" + String.join("", figures) + "</div>\n";
    }

    /** A table: a header row (null: none) and rows of already escaped cells; {@code numeric} marks right-aligned columns. */
    static String table(List<String> header, List<List<String>> rows, boolean... numeric) {
        StringBuilder b = new StringBuilder("<table>\n");
        if (header != null) {
            b.append("<thead><tr>");
            for (int c = 0; c < header.size(); c++) b.append(cell("th", header.get(c), c, numeric));
            b.append("</tr></thead>\n");
        }
        b.append("<tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (int c = 0; c < r.size(); c++) b.append(cell("td", r.get(c), c, numeric));
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    private static String cell(String tag, String html, int c, boolean[] numeric) {
        boolean num = c < numeric.length && numeric[c];
        return "<" + tag + (num ? " class=\"num\"" : "") + ">" + html + "</" + tag + ">";
    }

    /** A paragraph of our own text (already HTML: may hold {@code <b>} or {@code <code>}). */
    static String p(String html) {
        return "<p>" + html + "</p>\n";
    }

    /** A command line to type, escaped. */
    static String command(String line) {
        return "<pre class=\"cmd\"><code>" + esc(line) + "</code></pre>\n";
    }

    /** A note that something is not shown, and why. */
    static String note(String html) {
        return "<p class=\"note\">" + html + "</p>\n";
    }

    /** The whole page: title, subtitle lines, table of contents, then the sections. */
    static String page(String title, List<String> subtitle, List<Section> sections) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<header id=\"top\">\n<h1>").append(esc(title)).append("</h1>\n");
        for (String s : subtitle) b.append("<p class=\"sub\">").append(s).append("</p>\n");
        b.append("<nav><ol>\n");
        for (Section s : sections) {
            b.append("<li><a href=\"#").append(s.id()).append("\">").append(esc(s.title())).append("</a></li>\n");
        }
        b.append("</ol></nav>\n</header>\n<main>\n");
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(i + 1).append(". ").append(esc(s.title())).append("</h2>\n")
                    .append("<div class=\"explain\">").append(s.text()).append("</div>\n");
            if (!s.commands().isEmpty()) {
                b.append("<div class=\"cli\"><span>The same from the command line:</span>\n");
                for (String c : s.commands()) b.append(command(c));
                b.append("</div>\n");
            }
            b.append(s.body()).append("<p class=\"top\"><a href=\"#top\">back to the contents</a></p>\n</section>\n");
        }
        return b.append("</main>\n</body>\n</html>\n").toString();
    }

    /**
     * Screen: a centred column, pictures at most the column's width. Print: each section starts a page,
     * pictures are scaled to the page and never split, links and navigation aids are left out.
     */
    static final String CSS = """
            :root { --ink: #1d1f21; --muted: #5b6068; --rule: #d8dadd; --accent: #2457a6; --paper: #ffffff; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #f4f5f7; color: var(--ink);
                   font: 16px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
            header, main { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
            header { padding-top: 28px; }
            h1 { font-size: 30px; margin: 0 0 6px; }
            h2 { font-size: 23px; margin: 0 0 10px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
            h3 { font-size: 17px; margin: 18px 0 6px; }
            .sub { margin: 2px 0; color: var(--muted); }
            nav ol { columns: 2; background: var(--paper); border: 1px solid var(--rule); border-radius: 6px;
                     padding: 12px 12px 12px 40px; margin: 16px 0 24px; }
            nav a, .top a { color: var(--accent); text-decoration: none; }
            section { background: var(--paper); border: 1px solid var(--rule); border-radius: 6px;
                      padding: 20px 24px; margin: 0 0 24px; }
            .explain p { margin: 0 0 8px; max-width: 62em; }
            .cli { margin: 10px 0 14px; }
            .cli span { font-size: 13px; color: var(--muted); }
            pre.cmd { background: #eef1f5; border-left: 3px solid var(--accent); padding: 6px 10px; margin: 4px 0;
                      white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
            code { font-family: "DejaVu Sans Mono", Consolas, monospace; }
            p code { background: #eef1f5; padding: 1px 4px; font-size: 14px; }
            .note { background: #fff8e6; border-left: 3px solid #d69e2e; padding: 8px 12px; }
            .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
            figure { margin: 8px 0; max-width: 100%; }
            .row figure { flex: 0 1 auto; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); }
            img.raster { image-rendering: pixelated; }
            figcaption { font-size: 13px; color: var(--muted); margin-top: 3px; }
            table { border-collapse: collapse; margin: 8px 0 12px; font-size: 14px; }
            th, td { border-bottom: 1px solid var(--rule); padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
            th { border-bottom: 2px solid var(--ink); }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            ul.diag li { margin-bottom: 4px; }
            .top { font-size: 13px; margin: 12px 0 0; }
            @media print {
              @page { size: A4; margin: 14mm 12mm; }
              body { background: #fff; font-size: 11pt; }
              header, main { max-width: none; padding: 0; }
              nav ol { border: none; padding-left: 20px; }
              section { border: none; padding: 0; margin: 0; break-before: page; page-break-before: always; }
              h2, h3 { break-after: avoid; page-break-after: avoid; }
              figure, table, pre.cmd { break-inside: avoid; page-break-inside: avoid; }
              figure img { max-width: 100%; max-height: 235mm; width: auto; border: none; }
              .row { display: block; }
              .top, nav a::after { display: none; }
              a { color: inherit; text-decoration: none; }
            }
            """;
}
