/**
 * Data sets for the engine: MNIST and Fashion-MNIST (IDX), CIFAR-10 (binary version, read from its
 * {@code .tar.gz}), image folders, and an embedded MNIST sample; where their files are found or downloaded
 * from, with checksums. Normalization and mini-batches are the engine's ({@code glassbox.train.Normalization},
 * {@code glassbox.train.Batches}); a split reaches them through {@link glassbox.data.Dataset#asImageData()}.
 *
 * <ul>
 *   <li>{@link glassbox.data.Datasets#load} — the entry point: a name, a {@link glassbox.data.Split}, {@link glassbox.data.DataOptions}.</li>
 *   <li>{@link glassbox.data.Dataset} — one split held as bytes (NCHW) and byte labels.</li>
 *   <li>{@link glassbox.data.Idx}, {@link glassbox.data.Cifar10}, {@link glassbox.data.ImageFolder} — one parser per format;
 *       bad input is a {@link glassbox.data.DataFormatException} naming file, offset, expectation and finding.</li>
 *   <li>{@link glassbox.data.Catalog}, {@link glassbox.data.Sources}, {@link glassbox.data.Downloader},
 *       {@link glassbox.data.Checksums} — what exists, where it is, how it is fetched and verified.</li>
 * </ul>
 */
package glassbox.data;
