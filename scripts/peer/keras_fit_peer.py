"""The Keras peer of the training benchmark (scripts/bench/bench-train.ts runs it).

Reads the work the TypeScript side exported to WORKDIR (layers, initial weights, training and
validation digits), rebuilds the same model in Keras with the same weights, and times one epoch
of `model.fit` (Adam, categorical cross-entropy, shuffled, validation after the epoch) at each
batch size, as fitModel does on our side: one warm-up epoch on a few batches, then the median of
repeated timed epochs. Prints one JSON object.

    .venv-peer/bin/python scripts/peer/keras_fit_peer.py WORKDIR --intra N --inter M
"""

import json
import os
import sys
import time

from tf_peer import build_model, peer_arguments, read_weights, threaded_tensorflow


def main():
    args = peer_arguments(__doc__)
    tf = threaded_tensorflow(args)
    import numpy as np

    keras = tf.keras

    def path(name):
        return os.path.join(args.workdir, name)

    with open(path("request.json")) as f:
        request = json.load(f)
    with open(path("model.json")) as f:
        spec = json.load(f)
    shape = request["inputShape"]
    classes = request["classCount"]

    def digits(name):
        x = np.fromfile(path(f"{name}.f32"), dtype="<f4").reshape([-1, *shape])
        labels = np.fromfile(path(f"{name}.labels"), dtype="u1")
        return x, keras.utils.to_categorical(labels, classes)

    x, y = digits("train")
    vx, vy = digits("validation")
    weights = read_weights(np, path("weights.bin"), spec["weightShapes"])

    rows = []
    for jit in request["jitCompile"]:
        for batch_size in request["batchSizes"]:
            model = build_model(keras, spec, shape)
            model.set_weights(weights)
            model.compile(
                optimizer=keras.optimizers.Adam(request["learningRate"]),
                loss="categorical_crossentropy",
                jit_compile=jit,
            )
            warm = 2 * batch_size
            model.fit(x[:warm], y[:warm], batch_size=batch_size, epochs=1, verbose=0)
            epochs = []
            for _ in range(request["repeats"]):
                began = time.perf_counter()
                model.fit(
                    x,
                    y,
                    batch_size=batch_size,
                    epochs=1,
                    shuffle=True,
                    validation_data=(vx, vy),
                    verbose=0,
                )
                epochs.append(time.perf_counter() - began)
            epochs.sort()
            rows.append(
                {
                    "jitCompile": str(jit),
                    "resolvedJitCompile": bool(model.jit_compile),
                    "batchSize": batch_size,
                    "samplesPerSecond": len(x) / epochs[len(epochs) // 2],
                }
            )

    json.dump(
        {
            "tensorflowVersion": tf.__version__,
            "kerasVersion": keras.__version__ if hasattr(keras, "__version__") else "",
            "pythonVersion": sys.version.split()[0],
            "intraOpThreads": tf.config.threading.get_intra_op_parallelism_threads(),
            "interOpThreads": tf.config.threading.get_inter_op_parallelism_threads(),
            "cpuCount": os.cpu_count(),
            "rows": rows,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
