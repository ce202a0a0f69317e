/**
 * Bridges out of Glassbox: a model as ONNX ({@link glassbox.export.Onnx}, written with the small protobuf
 * encoder {@link glassbox.export.Protobuf}) and any tensor as a NumPy {@code .npy} file
 * ({@link glassbox.export.Npy}).
 */
package glassbox.export;
