"""The Keras side of the bring-your-own-model test (test/integration/models/import-keras.test.ts).

Builds a small RGB image classifier in Keras with seeded weights, converts it to a TensorFlow.js
layers model with the tensorflowjs converter into WORKDIR/model/, exports it as a TensorFlow
SavedModel (tf_keras model.save, save_format="tf") into WORKDIR/saved_model/, writes a JPEG copy
(WORKDIR/<name>.jpg) of each PNG the request's "jpegFrom" names, and scores the request's
images and then those JPEGs (tf.io.decode_png / decode_jpeg, channels=3, the rest at their
defaults) the way the model's metadata says they are to be preprocessed (bilinear resize with
half-pixel centres, pixel * scale + offset, channel order, then (x - mean) / std), so the
pipeline's predictions can be compared with Keras's own. Prints one JSON object.

    .venv-peer/bin/python scripts/peer/keras_import_peer.py WORKDIR

WORKDIR/request.json: {"height", "width", "labels", "scale", "offset", "mean", "std",
"channelOrder", "images": [file names in WORKDIR], "jpegFrom": [some of those PNGs]}.
"""

import importlib
import importlib.util
import json
import os
import sys
import types


def keras_h5_conversion():
    """tensorflowjs.converters.keras_h5_conversion, without running the package __init__ files.

    Those import every converter, and the SavedModel and JAX ones need tensorflow-decision-forests
    and jax, which are not installed (scripts/peer/requirements-convert.txt installs tensorflowjs
    without its dependencies); the Keras HDF5 conversion needs only h5py, numpy and six.
    """
    root = importlib.util.find_spec("tensorflowjs").submodule_search_locations[0]
    for name, path in (
        ("tensorflowjs", root),
        ("tensorflowjs.converters", os.path.join(root, "converters")),
    ):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package
    return importlib.import_module("tensorflowjs.converters.keras_h5_conversion")


def build_model(keras, height, width, classes):
    keras.utils.set_random_seed(20261202)
    return keras.Sequential(
        [
            keras.Input(shape=(height, width, 3)),
            keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(classes, activation="softmax"),
        ]
    )


def preprocess(tf, np, name, data, request):
    decode = tf.io.decode_jpeg if name.endswith(".jpg") else tf.io.decode_png
    image = decode(data, channels=3)
    # tf.image.resize (TF 2) is bilinear with half-pixel centres, like the worker's resize.
    resized = tf.image.resize(
        tf.cast(image, tf.float64), [request["height"], request["width"]], method="bilinear"
    ).numpy()
    x = resized * request["scale"] + request["offset"]
    if request["channelOrder"] == "BGR":
        x = x[..., ::-1]
    return (x - np.array(request["mean"])) / np.array(request["std"])


def main():
    workdir = sys.argv[1]
    with open(os.path.join(workdir, "request.json")) as f:
        request = json.load(f)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import tf_keras

    model = build_model(tf_keras, request["height"], request["width"], len(request["labels"]))
    converter = keras_h5_conversion()
    converter.save_keras_model(model, os.path.join(workdir, "model"))
    model.save(os.path.join(workdir, "saved_model"), save_format="tf")

    # JPEG copies of the PNGs as a camera or a Python user would write them: quality 90,
    # alternately 4:2:0 (chroma subsampled, the usual) and 4:4:4.
    jpegs = []
    for index, name in enumerate(request.get("jpegFrom", [])):
        with open(os.path.join(workdir, name), "rb") as f:
            pixels = tf.io.decode_png(f.read(), channels=3)
        jpeg = tf.io.encode_jpeg(pixels, quality=90, chroma_downsampling=index % 2 == 0)
        with open(os.path.join(workdir, f"{name}.jpg"), "wb") as f:
            f.write(jpeg.numpy())
        jpegs.append(f"{name}.jpg")

    inputs = []
    for name in request["images"] + jpegs:
        with open(os.path.join(workdir, name), "rb") as f:
            inputs.append(preprocess(tf, np, name, f.read(), request))
    scores = model.predict(np.stack(inputs).astype("float32"), verbose=0)
    from tensorflowjs import version

    json.dump(
        {
            "tensorflowVersion": tf.__version__,
            "kerasVersion": tf_keras.__version__,
            "tensorflowjsVersion": version.version,
            "jpegs": jpegs,
            "scores": scores.tolist(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
