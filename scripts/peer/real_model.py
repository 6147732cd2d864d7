"""The model of npm run bench:real: a MobileNetV2 built in tf-keras, converted for the worker.

Builds tf_keras.applications.MobileNetV2 (224x224x3, 1,000 classes) with weights=None and a fixed
seed, then sets every BatchNormalization layer's moving mean and variance from the first
CALIBRATION photos in PHOTOS: one training-mode forward pass with momentum 0, which replaces the
moving statistics with that batch's (layer by layer, each seeing the layers before it already
normalised). Without it the freshly initialised statistics (mean 0, variance 1) let the
activations grow layer after layer until the softmax saturates on one class for every input.
Saves the model as WORKDIR/mobilenet_v2.h5, loads that file back and converts it with the pinned
tensorflowjs converter into WORKDIR/tfjs/ (a layers model) and exports it as a SavedModel into
WORKDIR/savedmodel/, so the worker (either format) and the Python peer run the same weights.
Prints one JSON object.

    .venv-peer/bin/python scripts/peer/real_model.py WORKDIR PHOTOS [--calibration N]
"""

import argparse
import json
import os
import sys

from keras_import_peer import keras_h5_conversion

SIZE = 224


def preprocess(tf, path):
    """MobileNetV2's preprocessing: bilinear resize (half-pixel centres), pixel / 127.5 - 1."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    resized = tf.image.resize(tf.cast(image, tf.float32), [SIZE, SIZE], method="bilinear")
    return resized / 127.5 - 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("photos")
    parser.add_argument("--calibration", type=int, default=32)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import tf_keras

    tf_keras.utils.set_random_seed(20261207)
    model = tf_keras.applications.MobileNetV2(
        input_shape=(SIZE, SIZE, 3), weights=None, classes=1000
    )
    names = sorted(os.listdir(args.photos))[: args.calibration]
    batch = tf.stack([preprocess(tf, os.path.join(args.photos, name)) for name in names])
    norms = [layer for layer in model.layers if isinstance(layer, tf_keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in norms]
    for layer in norms:
        layer.momentum = 0.0
    model(batch, training=True)
    for layer, momentum in zip(norms, momenta):
        layer.momentum = momentum

    h5 = os.path.join(args.workdir, "mobilenet_v2.h5")
    model.save(h5)
    saved = tf_keras.models.load_model(h5)
    keras_h5_conversion().save_keras_model(saved, os.path.join(args.workdir, "tfjs"))
    # The SavedModel Keras exports (serve tag, serving_default signature), imported as it is.
    saved.save(os.path.join(args.workdir, "savedmodel"), save_format="tf")
    scores = saved.predict(batch, verbose=0)
    from tensorflowjs import version

    json.dump(
        {
            "tensorflowVersion": tf.__version__,
            "kerasVersion": tf_keras.__version__,
            "tensorflowjsVersion": version.version,
            "parameters": int(saved.count_params()),
            "batchNormLayers": len(norms),
            "calibrationPhotos": len(names),
            # Distinct top-1 classes over the calibration photos: more than one shows the scores
            # depend on the input.
            "distinctTop1": int(len(set(scores.argmax(axis=1).tolist()))),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
