"""The Python side of the image decoding test (test/integration/worker/tensorflow-decode.test.ts).

Writes photo-like JPEGs and PNGs into WORKDIR (smooth colour fields, shapes with sharp edges and
sensor-like noise, seeded) in several sizes and encodings: JPEG at qualities 75-95 with 4:2:0
and 4:4:4 chroma, baseline and progressive, grayscale; PNG RGB, RGBA, gray and 16-bit. Then
decodes each file as a Python user would, with tf.io.decode_jpeg / tf.io.decode_png and their
defaults, and writes the pixels to WORKDIR/<name>.pixels (uint8, HWC), and those pixels
resized to 224x224 by tf.image.resize (bilinear, as Keras preprocessing does) to
WORKDIR/<name>.224.f32 (float32, HWC, three channels). Prints one JSON object:
{"tensorflowVersion", "images": [{"name", "height", "width", "channels", and for JPEGs
"defaultEquals": the explicit decode_jpeg arguments whose pixels equal the defaults'}]}.

    .venv-peer/bin/python scripts/peer/decode_images_peer.py WORKDIR
"""

import json
import os
import sys

# (height, width, encoding): JPEG encodings are tf.io.encode_jpeg arguments.
IMAGES = [
    (224, 224, {"kind": "jpeg", "quality": 90, "chroma_downsampling": True}),
    (480, 640, {"kind": "jpeg", "quality": 90, "chroma_downsampling": True}),
    (427, 640, {"kind": "jpeg", "quality": 95, "chroma_downsampling": False}),
    (333, 500, {"kind": "jpeg", "quality": 75, "chroma_downsampling": True}),
    (301, 257, {"kind": "jpeg", "quality": 90, "chroma_downsampling": True, "progressive": True}),
    (250, 375, {"kind": "jpeg", "quality": 85, "format": "grayscale"}),
    (263, 231, {"kind": "jpeg", "quality": 90, "chroma_downsampling": False, "progressive": True}),
    (240, 320, {"kind": "png", "channels": 3}),
    (199, 301, {"kind": "png", "channels": 4}),
    (256, 256, {"kind": "png", "channels": 1}),
    (160, 240, {"kind": "png", "channels": 3, "dtype": "uint16"}),
]


def photo(np, rng, height, width):
    """Smooth light and colour with a few sharp-edged objects and noise, like a small photo."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    phase = rng.uniform(0, 6, 3)
    image = np.stack(
        [
            120 + 80 * np.sin(x / width * 3 + phase[0]),
            110 + 70 * np.cos(y / height * 4 + phase[1]),
            100 + 60 * np.sin((x + y) / (width + height) * 5 + phase[2]),
        ],
        -1,
    )
    for _ in range(6):
        cy, cx = rng.uniform(0, height), rng.uniform(0, width)
        radius = rng.uniform(8, min(height, width) / 3)
        inside = (y - cy) ** 2 + (x - cx) ** 2 < radius * radius
        image[inside] = image[inside] * 0.4 + rng.uniform(0, 255, 3) * 0.6
    image += rng.normal(0, 6, image.shape)
    return np.clip(image, 0, 255)


def encode(tf, np, pixels, encoding):
    if encoding["kind"] == "jpeg":
        options = {key: value for key, value in encoding.items() if key != "kind"}
        if options.get("format") == "grayscale":
            pixels = np.round(pixels @ np.array([0.299, 0.587, 0.114]))[..., None]
        return tf.io.encode_jpeg(pixels.astype(np.uint8), **options).numpy(), "jpg"
    channels = encoding["channels"]
    if channels == 1:
        pixels = np.round(pixels @ np.array([0.299, 0.587, 0.114]))[..., None]
    elif channels == 4:
        alpha = np.linspace(40, 255, pixels.shape[1])[None, :, None]
        pixels = np.concatenate([pixels, np.broadcast_to(alpha, pixels.shape[:2] + (1,))], -1)
    if encoding.get("dtype") == "uint16":
        # Full 16-bit samples, so the reduction to 8 bits is exercised.
        return tf.io.encode_png((pixels * 257).astype(np.uint16)).numpy(), "png"
    return tf.io.encode_png(pixels.astype(np.uint8)).numpy(), "png"


def main():
    workdir = sys.argv[1]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(20261207)
    listed = []
    for index, (height, width, encoding) in enumerate(IMAGES):
        data, extension = encode(tf, np, photo(np, rng, height, width), encoding)
        name = f"photo-{index}-{width}x{height}.{extension}"
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(data)
        # What a Python user writes: the decoder for the format, every argument at its default.
        decode = tf.io.decode_jpeg if extension == "jpg" else tf.io.decode_png
        pixels = decode(data).numpy()
        with open(os.path.join(workdir, f"{name}.pixels"), "wb") as f:
            f.write(pixels.tobytes())
        rgb = np.repeat(pixels, 3, axis=2) if pixels.shape[2] == 1 else pixels
        resized = tf.image.resize(rgb, [224, 224]).numpy()
        with open(os.path.join(workdir, f"{name}.224.f32"), "wb") as f:
            f.write(resized.astype(np.float32).tobytes())
        h, w, c = pixels.shape
        entry = {"name": name, "height": h, "width": w, "channels": c}
        if extension == "jpg":
            # Which explicit arguments the defaults equal, for docs/container.md to name.
            entry["defaultEquals"] = [
                f"{key}={value}"
                for key, value in (
                    ("dct_method", "INTEGER_FAST"),
                    ("dct_method", "INTEGER_ACCURATE"),
                    ("fancy_upscaling", False),
                )
                if np.array_equal(pixels, tf.io.decode_jpeg(data, **{key: value}).numpy())
            ]
        listed.append(entry)
    json.dump({"tensorflowVersion": tf.__version__, "images": listed}, sys.stdout)


if __name__ == "__main__":
    main()
