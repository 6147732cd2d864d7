"""The Python peer of npm run bench:real: the same MobileNetV2 and photos, the usual Python way.

Loads WORKDIR/mobilenet_v2.h5 (the file the worker's tfjs model was converted from) with tf-keras
and measures, in this order, over the photos WORKDIR/photos.json names (files in WORKDIR/photos/):

  end to end   tf.data: read_file, decode_image (TensorFlow's DecodeJpeg / DecodePng), bilinear
               resize to 224x224 (half-pixel centres), pixel / 127.5 - 1, batch, prefetch, then
               Keras predict over the dataset
  input only   the same dataset iterated without the model, and the CPU time (all threads) it took
  compute only predict_on_batch on batches of already preprocessed photos

with TensorFlow's intra-op and inter-op pools at --intra and --inter threads and tf.data's map
on --decode-threads. Peak RSS is read after the end-to-end pass (it only grows, so it is that
pass's peak, model included). Writes the end-to-end scores (photos x 1,000 float32, row-major)
to WORKDIR/peer-scores.f32 and prints one JSON object.

    .venv-peer/bin/python scripts/peer/real_peer.py WORKDIR --intra N --inter N
        --decode-threads N --batch-size B --compute-images N
"""

import argparse
import json
import os
import resource
import sys
import time

SIZE = 224


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir")
    parser.add_argument("--intra", type=int, required=True)
    parser.add_argument("--inter", type=int, required=True)
    parser.add_argument("--decode-threads", type=int, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--compute-images", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import tf_keras

    tf.config.threading.set_intra_op_parallelism_threads(args.intra)
    tf.config.threading.set_inter_op_parallelism_threads(args.inter)
    with open(os.path.join(args.workdir, "photos.json")) as f:
        names = json.load(f)
    paths = [os.path.join(args.workdir, "photos", name) for name in names]
    model = tf_keras.models.load_model(os.path.join(args.workdir, "mobilenet_v2.h5"), compile=False)

    def load(path):
        image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
        resized = tf.image.resize(tf.cast(image, tf.float32), [SIZE, SIZE], method="bilinear")
        return resized / 127.5 - 1

    def dataset():
        options = tf.data.Options()
        options.threading.private_threadpool_size = args.decode_threads
        return (
            tf.data.Dataset.from_tensor_slices(paths)
            .map(load, num_parallel_calls=args.decode_threads)
            .batch(args.batch_size)
            .prefetch(1)
            .with_options(options)
        )

    # Warm-up on the dataset's first batch: builds predict's function and the kernels, as the
    # worker's model load does before its shard is timed.
    model.predict(dataset().take(1), verbose=0)
    warm = next(iter(dataset())).numpy()

    began = time.perf_counter()
    scores = model.predict(dataset(), verbose=0)
    end_to_end = time.perf_counter() - began
    peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    seen = sum(int(batch.shape[0]) for batch in dataset())
    input_only = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )

    batch_inputs = [warm[i % len(warm)] for i in range(args.batch_size)]
    x = tf.constant(np.stack(batch_inputs))
    model.predict_on_batch(x)
    began = time.perf_counter()
    done = 0
    while done < args.compute_images:
        n = min(args.batch_size, args.compute_images - done)
        model.predict_on_batch(x[:n])
        done += n
    compute_only = time.perf_counter() - began

    scores.astype("<f4").tofile(os.path.join(args.workdir, "peer-scores.f32"))
    json.dump(
        {
            "tensorflowVersion": tf.__version__,
            "pythonVersion": sys.version.split()[0],
            "images": len(paths),
            "inputOnlyImages": seen,
            "endToEndImagesPerSecond": len(paths) / end_to_end,
            "inputOnlyImagesPerSecond": seen / input_only,
            "inputOnlyCpuMsPerImage": cpu_seconds * 1000 / seen,
            "computeImagesPerSecond": args.compute_images / compute_only,
            "peakRssBytes": peak_rss_kib * 1024,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
