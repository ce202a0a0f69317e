/**
 * {@code ./glassbox report}: one self-contained HTML page about a trained model, from its architecture and
 * training curves to its explanations, robustness and feature space. {@link glassbox.report.Report} runs the
 * computations of {@code glassbox.viz} and their renderers (it draws nothing itself), writes the pictures and
 * a JSON of the numbers beside {@code index.html}, and puts each picture under a short explanation and the
 * command that renders it alone.
 */
package glassbox.report;
