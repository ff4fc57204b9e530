#!/usr/bin/env python3
"""Dev check: load an annotate model file into the equivalent Keras model with set_weights
and compare its probabilities with `annotate predict` on the same sequences.

  KERAS_BACKEND=jax python3 scripts/keras_check.py MODEL.json SEQUENCES.txt [ANNOTATE_BINARY]

Prints the largest absolute difference; exits 1 if it exceeds 1e-5. Needs keras and a
backend (jax or tensorflow); it is not part of the test suite.
"""
import json
import subprocess
import sys

import numpy as np
import keras
from keras import layers

model_path, seq_path = sys.argv[1], sys.argv[2]
binary = sys.argv[3] if len(sys.argv) > 3 else ".build/release/annotate"
spec = json.load(open(model_path))
L = spec["input_length"]

stack = [keras.Input(shape=(L, 4))]
weights = []
for layer in spec["layers"]:
    t = layer["type"]
    if t == "conv1d":
        stack.append(layers.Conv1D(layer["filters"], layer["kernel_size"], padding=layer["padding"],
                                   activation=layer.get("activation", "linear")))
    elif t == "maxpool1d":
        stack.append(layers.MaxPooling1D(layer["pool_size"]))
    elif t == "flatten":
        stack.append(layers.Flatten())
    elif t == "dense":
        stack.append(layers.Dense(layer["units"], activation=layer["activation"]))
    elif t == "dropout":
        stack.append(layers.Dropout(layer["rate"]))
    if "kernel" in layer:
        weights += [np.asarray(layer["kernel"], np.float32), np.asarray(layer["bias"], np.float32)]
model = keras.Sequential(stack)
model.set_weights(weights)
print("keras parameters:", model.count_params())

seqs = [s.strip().upper() for s in open(seq_path) if s.strip()]
onehot = np.zeros((len(seqs), L, 4), np.float32)
for i, s in enumerate(seqs):
    for j, c in enumerate(s):
        onehot[i, j, "ACGT".index(c)] = 1
out = model.predict(onehot, verbose=0)
keras_p = out[:, -1]

cmd = [binary, "predict", seq_path] + ([] if model_path == "builtin" else ["--model", model_path])
ours = np.array([float(line.split("\t")[1]) for line in subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()])
diff = np.abs(ours - keras_p).max()
print(f"sequences: {len(seqs)}  largest |annotate - keras|: {diff:.3g}")
sys.exit(0 if diff <= 1e-5 else 1)
