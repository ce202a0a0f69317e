// The worked session of docs/shell.md: GLASSBOX_DATA=... ./glassbox shell --load docs/shell-session.jsh
// (expects lenet5.gbx in the current folder: ./glassbox train --model lenet5 --dataset mnist --epochs 1 --out lenet5.gbx)
var m = model("lenet5.gbx");
System.out.println(modelFile().meta().get("test_accuracy"));
var x = image(0);
int p = predict(m, x);
System.out.println("predicted " + className(p) + ", true " + className(label(0)));
System.out.println(Arrays.toString(probabilities(m, x)));
show(m.activation("conv1"));
png(m.activation("conv1"), "conv1.png");
var w = m.param("conv1.weight").value();
show(w);
var xs = batch(0, 1000);
int[] before = predictions(m, xs);
float[] kept = Arrays.copyOfRange(w.data(), 3 * 25, 4 * 25);
Arrays.fill(w.data(), 3 * 25, 4 * 25, 0f);
int[] after = predictions(m, xs);
var moves = new TreeMap<String, Integer>();
for (int i = 0; i < before.length; i++) if (before[i] != after[i]) moves.merge(before[i] + "->" + after[i], 1, Integer::sum);
System.out.println(moves);
System.arraycopy(kept, 0, w.data(), 3 * 25, 25);
m.forward(x, false);
var g = Tensor.zeros(1, 10);
g.data()[p] = 1f;
var saliency = m.backward(g);
show(saliency);
png(saliency, "saliency.png");
