"""The model of scripts/bench/real/bench-saved-model.ts: a tf-keras MobileNetV2 (weights=None,
224x224x3, 1,000 classes) written twice, as the TensorFlow.js layers model the pinned converter
makes (WORKDIR/layers/) and as the SavedModel Keras exports (WORKDIR/saved_model/).

Random weights leave the BatchNorm statistics at 0 and 1, and then every input scores alike; they
are set from one batch of seeded noise images first (momentum 0 for one training-mode call), so
the scores depend on the input and the two formats' outputs can be compared.

    .venv-peer/bin/python scripts/bench/real/mobilenet_formats.py WORKDIR
"""

import importlib
import importlib.util
import json
import os
import sys
import types


def keras_h5_conversion():
    """tensorflowjs.converters.keras_h5_conversion without the package __init__ files (see
    scripts/peer/keras_import_peer.py: the other converters need packages not installed)."""
    root = importlib.util.find_spec("tensorflowjs").submodule_search_locations[0]
    for name, path in (
        ("tensorflowjs", root),
        ("tensorflowjs.converters", os.path.join(root, "converters")),
    ):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package
    return importlib.import_module("tensorflowjs.converters.keras_h5_conversion")


def main():
    workdir = sys.argv[1]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import tf_keras

    tf_keras.utils.set_random_seed(20261207)
    model = tf_keras.applications.MobileNetV2(
        input_shape=(224, 224, 3), weights=None, classes=1000
    )
    norms = [layer for layer in model.layers if isinstance(layer, tf_keras.layers.BatchNormalization)]
    for layer in norms:
        layer.momentum = 0.0
    noise = np.random.default_rng(20261207).uniform(-1, 1, size=(16, 224, 224, 3)).astype("float32")
    model(noise, training=True)
    for layer in norms:
        layer.momentum = 0.99
    keras_h5_conversion().save_keras_model(model, os.path.join(workdir, "layers"))
    model.save(os.path.join(workdir, "saved_model"), save_format="tf")
    json.dump({"tensorflowVersion": tf.__version__, "kerasVersion": tf_keras.__version__}, sys.stdout)


if __name__ == "__main__":
    main()
