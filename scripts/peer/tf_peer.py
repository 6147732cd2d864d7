"""The Python TensorFlow peer of the worker benchmark (scripts/bench/bench-all.ts runs it).

Reads the work the TypeScript side exported to WORKDIR (model layers, weights, inputs, PNGs),
rebuilds the same model in Keras with the same weights, checks it gives the same scores, and
times the same work at the same batch sizes with the same method. Prints one JSON object.

    .venv-peer/bin/python scripts/peer/tf_peer.py WORKDIR --intra N --inter M
"""

import argparse
import json
import os
import sys
import time


def peer_arguments(doc):
    """WORKDIR, --intra and --inter, as both peers take them."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("workdir")
    parser.add_argument("--intra", type=int, required=True, help="intra-op threads; 0 = TF default")
    parser.add_argument("--inter", type=int, required=True, help="inter-op threads; 0 = TF default")
    return parser.parse_args()


def threaded_tensorflow(args):
    """TensorFlow on the given thread counts, imported only now: its log level must be set first,
    and the thread counts before it runs anything."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.intra)
    tf.config.threading.set_inter_op_parallelism_threads(args.inter)
    return tf


def measure(run, min_seconds, min_iterations=3, fastest=False):
    """Warm-up call, then repeated calls until min_seconds and min_iterations: seconds per call,
    the median call (or the fastest one), as scripts/bench/measure-rate.ts does."""
    run()
    began = time.perf_counter()
    calls = []
    while len(calls) < min_iterations or time.perf_counter() - began < min_seconds:
        call_began = time.perf_counter()
        run()
        calls.append(time.perf_counter() - call_began)
    calls.sort()
    return calls[0] if fastest else calls[len(calls) // 2]


def build_model(keras, spec, input_shape):
    layers = [keras.Input(shape=tuple(input_shape))]
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "conv2d":
            layers.append(
                keras.layers.Conv2D(
                    layer["filters"],
                    tuple(layer["kernelSize"]),
                    strides=tuple(layer["strides"]),
                    padding=layer["padding"],
                    activation=layer["activation"],
                )
            )
        elif kind == "maxpool2d":
            layers.append(
                keras.layers.MaxPooling2D(tuple(layer["poolSize"]), strides=tuple(layer["strides"]))
            )
        elif kind == "flatten":
            layers.append(keras.layers.Flatten())
        elif kind == "dropout":
            layers.append(keras.layers.Dropout(layer["rate"]))
        elif kind == "dense":
            layers.append(keras.layers.Dense(layer["units"], activation=layer["activation"]))
        else:
            raise ValueError(f"model.json: layer type {kind!r} is not supported")
    return keras.Sequential(layers)


def read_weights(np, path, shapes):
    flat = np.fromfile(path, dtype="<f4")
    weights, offset = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        weights.append(flat[offset : offset + size].reshape(shape))
        offset += size
    if offset != flat.size:
        raise ValueError(f"weights.bin: {flat.size} floats, the layer shapes take {offset}")
    return weights


def main():
    args = peer_arguments(__doc__)
    tf = threaded_tensorflow(args)
    import numpy as np

    keras = tf.keras

    with open(os.path.join(args.workdir, "request.json")) as f:
        request = json.load(f)
    with open(os.path.join(args.workdir, "model.json")) as f:
        spec = json.load(f)
    shape = request["inputShape"]
    size = int(np.prod(shape))
    model = build_model(keras, spec, shape)
    model.set_weights(read_weights(np, os.path.join(args.workdir, "weights.bin"), spec["weightShapes"]))

    inputs = np.fromfile(os.path.join(args.workdir, "inputs.f32"), dtype="<f4").reshape([-1, *shape])
    expected = np.fromfile(os.path.join(args.workdir, "expected.f32"), dtype="<f4").reshape(request["expectedCount"], -1)
    png_dir = os.path.join(args.workdir, "png")
    pngs = []
    for name in sorted(os.listdir(png_dir)):
        with open(os.path.join(png_dir, name), "rb") as f:
            pngs.append(f.read())

    infer = tf.function(lambda x: model(x, training=False), reduce_retracing=True)
    got = infer(inputs[: len(expected)]).numpy()
    max_abs_diff = float(np.max(np.abs(got - expected)))

    scale = 1 / 255
    top_k = request["topK"]

    @tf.function(reduce_retracing=True)
    def end_to_end(encoded):
        images = tf.map_fn(
            lambda png: tf.io.decode_png(png, channels=shape[2]),
            encoded,
            fn_output_signature=tf.TensorSpec([None, None, shape[2]], tf.uint8),
        )
        x = tf.image.resize(tf.cast(images, tf.float32), shape[:2]) * scale
        return tf.math.top_k(model(x, training=False), k=top_k)

    rows = []
    cursor = 0
    for batch_size in request["batchSizes"]:
        def window(pool):
            nonlocal cursor
            indices = [(cursor + i) % len(pool) for i in range(batch_size)]
            cursor += batch_size
            return indices

        def compute():
            infer(np.take(inputs, window(inputs), axis=0)).numpy()

        def e2e():
            result = end_to_end(tf.constant([pngs[i] for i in window(pngs)]))
            result.values.numpy()

        compute_seconds = measure(compute, request["minSeconds"])
        e2e_seconds = measure(e2e, request["minSeconds"])
        rows.append(
            {
                "batchSize": batch_size,
                "computeImagesPerSecond": batch_size / compute_seconds,
                "endToEndImagesPerSecond": batch_size / e2e_seconds,
            }
        )

    n = 1024
    a = tf.random.uniform([n, n])
    b = tf.random.uniform([n, n])
    matmul = tf.function(lambda: tf.linalg.matmul(a, b))
    matmul_seconds = measure(lambda: matmul().numpy(), request["minSeconds"], fastest=True)

    json.dump(
        {
            "tensorflowVersion": tf.__version__,
            "pythonVersion": sys.version.split()[0],
            "intraOpThreads": tf.config.threading.get_intra_op_parallelism_threads(),
            "interOpThreads": tf.config.threading.get_inter_op_parallelism_threads(),
            "cpuCount": os.cpu_count(),
            "maxAbsDiff": max_abs_diff,
            "rows": rows,
            "matmulGflops": 2 * n**3 / matmul_seconds / 1e9,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
