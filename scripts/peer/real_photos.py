"""Photos for npm run bench:real, made from the sample images in scikit-image's wheel.

Reads the colour photos under skimage/data/ straight out of the wheel (a zip; scikit-image is not
installed), and writes COUNT photos to OUTDIR: each a crop of one source (at a random position,
60-100 % of the largest crop of the chosen aspect), flipped left-right half the time, resized to a
random width and height of 224-640 px, and encoded with TensorFlow's own encoders: JPEG at
quality 90, except every PNG_EVERY-th photo, which is a PNG. Seeded, so a seed gives the same
photos. Prints one JSON object: {"photos": [file names in order], "sources": [...]}.

    .venv-peer/bin/python scripts/peer/real_photos.py WHEEL OUTDIR --count N [--seed S] [--png-every K]
"""

import argparse
import json
import os
import sys
import zipfile

# The wheel's colour photographs (the others are grayscale, synthetic or tiny).
SOURCES = [
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "motorcycle_left.png",
    "ihc.png",
]
MIN_SIDE = 224
MAX_SIDE = 640


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wheel")
    parser.add_argument("outdir")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--png-every", type=int, default=11)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    with zipfile.ZipFile(args.wheel) as wheel:
        images = [
            tf.io.decode_image(wheel.read(f"skimage/data/{name}"), channels=3).numpy()
            for name in SOURCES
        ]
    os.makedirs(args.outdir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    names = []
    for i in range(args.count):
        source = images[i % len(images)]
        rows, cols = source.shape[:2]
        width, height = (int(v) for v in rng.integers(MIN_SIDE, MAX_SIDE + 1, size=2))
        # The largest crop of the output's aspect ratio, then 60-100 % of it, anywhere inside.
        fit = min(cols / width, rows / height) * rng.uniform(0.6, 1.0)
        crop_w, crop_h = max(1, int(width * fit)), max(1, int(height * fit))
        x = int(rng.integers(0, cols - crop_w + 1))
        y = int(rng.integers(0, rows - crop_h + 1))
        crop = source[y : y + crop_h, x : x + crop_w]
        if rng.uniform() < 0.5:
            crop = crop[:, ::-1]
        resized = tf.image.resize(crop, [height, width], method="area", antialias=True)
        pixels = tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8)
        if args.png_every > 0 and i % args.png_every == args.png_every - 1:
            name, body = f"photo-{i:06d}.png", tf.io.encode_png(pixels)
        else:
            name, body = f"photo-{i:06d}.jpg", tf.io.encode_jpeg(pixels, quality=90)
        tf.io.write_file(os.path.join(args.outdir, name), body)
        names.append(name)
    json.dump({"photos": names, "sources": SOURCES}, sys.stdout)


if __name__ == "__main__":
    main()
