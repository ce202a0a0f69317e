/**
 * The interactive explorer ({@code ./glassbox serve}): a local web app over the same computations the CLI
 * renders. {@link glassbox.explorer.ExplorerServer} answers small JSON routes (one per view) and serves the
 * page from {@code web/}; {@link glassbox.explorer.ModelRegistry} holds the models a user may pick, by listed
 * id only (no request parameter ever reaches the file system); {@link glassbox.explorer.LiveTraining} trains one
 * model at a time from the page ({@link glassbox.explorer.TrainingJob}: the engine's Trainer and training statistics).
 */
package glassbox.explorer;
