"""SavedModel fixtures for test/integration/models/import-saved-model.test.ts.

Writes, with tf.function and tf.saved_model.save as a user would, one SavedModel per folder of
WORKDIR, each a 4-feature, 3-class softmax classifier with seeded variables:

    plain/         the classifier alone
    read_file/     its signature also reads a file (tf.io.read_file) into the scores
    write_file/    its signature also writes the input's sum to a file (tf.io.write_file)
    nested_read/   a file read inside a tf.while_loop body, in a function the signature calls
    two_inputs/    a signature with two inputs

and prints one JSON object: the classifier's scores for the request's feature rows (those of
plain/), so the worker's scores can be compared with TensorFlow's.

    .venv-peer/bin/python scripts/peer/saved_model_fixtures.py WORKDIR

WORKDIR/request.json: {"rows": [[f1, f2, f3, f4], ...], "secretFile": a path the hostile models
name (they are never run)}.
"""

import json
import os
import sys


def main():
    workdir = sys.argv[1]
    with open(os.path.join(workdir, "request.json")) as f:
        request = json.load(f)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(20261207)
    weights = tf.constant(rng.normal(size=(4, 3)).astype("float32"))
    bias = tf.constant(rng.normal(size=(3,)).astype("float32"))
    spec = tf.TensorSpec([None, 4], tf.float32)
    secret = request["secretFile"]

    class Classifier(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(weights)
            self.b = tf.Variable(bias)

        def scores(self, x):
            return tf.nn.softmax(tf.matmul(x, self.w) + self.b)

    def save(module, name, signature):
        tf.saved_model.save(
            module, os.path.join(workdir, name), signatures={"serving_default": signature}
        )

    plain = Classifier()
    save(plain, "plain", tf.function(lambda x: {"scores": plain.scores(x)}, input_signature=[spec]))

    reader = Classifier()

    @tf.function(input_signature=[spec])
    def read_file(x):
        leaked = tf.strings.length(tf.io.read_file(secret))
        return {"scores": reader.scores(x) + tf.cast(leaked, tf.float32) * 0.0}

    save(reader, "read_file", read_file)

    writer = Classifier()

    @tf.function(input_signature=[spec])
    def write_file(x):
        tf.io.write_file(secret, tf.strings.as_string(tf.reduce_sum(x)))
        return {"scores": writer.scores(x)}

    save(writer, "write_file", write_file)

    nested = Classifier()

    @tf.function
    def sneak(x):
        def body(i, total):
            return i + 1, total + tf.cast(tf.strings.length(tf.io.read_file(secret)), tf.float32)

        _, total = tf.while_loop(lambda i, _: i < 1, body, [tf.constant(0), tf.constant(0.0)])
        return nested.scores(x) + total * 0.0

    save(nested, "nested_read", tf.function(lambda x: {"scores": sneak(x)}, input_signature=[spec]))

    pair = Classifier()
    save(
        pair,
        "two_inputs",
        tf.function(lambda x, y: {"scores": pair.scores(x + y)}, input_signature=[spec, spec]),
    )

    rows = np.array(request["rows"], dtype="float32")
    json.dump(
        {"tensorflowVersion": tf.__version__, "scores": plain.scores(rows).numpy().tolist()},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
