"""A lean Gemma 3 decoder for CPU inference, built from the transformers model's weights.

transformers' ``Gemma3TextModel`` is general: cache classes, mask builders, output
capturing, seven separate projections a layer. For the intent parser's short passes (one
to ninety tokens) that machinery costs about as much as the arithmetic. ``LeanDecoder``
computes the same function with less: q/k/v fused into one projection and gate/up into
another (four matrix products a layer instead of seven, one activation quantisation
each), rotary tables computed once, and a preallocated key/value cache whose length is
an integer, so cutting it back after a rejected draft, or back to the cached prompt head,
costs nothing. ``tests/test_llm_decoder.py`` checks it against transformers' forward.

Weights are int8 (``Int8Linear``: one scale per output channel, one per token for the
activations), torch.ao's dynamic int8, or fp32.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import torch
import torch.nn.functional as F

from assistant.errors import CacheFull

#: int8: weights per output channel, activations per token (``Int8Linear``); torch-dynamic:
#: torch.ao's dynamic quantisation (activations per pass); fp32: none
Quantization = Literal["int8", "torch-dynamic", "fp32"]


class Int8Linear(torch.nn.Module):
    """A linear map in int8: weights with one scale per output channel, activations with
    one scale per token, computed at run time, multiplied by ``torch._int_mm`` (int32
    accumulation, exact). Scaling each token by its own maximum keeps more precision than
    one scale for the whole pass (torch.ao's dynamic quantisation), and a token's output
    does not depend on the other tokens in its pass."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        weight = weight.detach().float()
        scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
        self.register_buffer("weight_t", torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8).t().contiguous())
        self.register_buffer("scale", scale)

    weight_t: torch.Tensor
    scale: torch.Tensor

    @classmethod
    def from_int8(cls, weight_t: torch.Tensor, scale: torch.Tensor) -> Int8Linear:
        """The layer from weights already quantised (``weight_t`` int8, in x out; ``scale``)."""
        layer = cls.__new__(cls)
        torch.nn.Module.__init__(layer)
        layer.register_buffer("weight_t", weight_t)
        layer.register_buffer("scale", scale)
        return layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        step = x.abs().amax(dim=-1, keepdim=True).clamp(min=1e-8) / 127.0
        quantized = torch.round(x / step).to(torch.int8)
        return torch._int_mm(quantized, self.weight_t).float() * step * self.scale


class TorchDynamicLinear(torch.nn.Module):
    """torch.ao's dynamic int8 (``quantize_dynamic``, per-channel weights): one activation
    scale for the whole pass, so a token's output depends on the other tokens in it. Kept
    as the measured alternative to ``Int8Linear``."""

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        linear = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=False)
        linear.weight.data.copy_(weight.detach().float())
        self.inner = torch.ao.quantization.quantize_dynamic(
            torch.nn.Sequential(linear), {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}, dtype=torch.qint8
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)


class Fp32Linear(torch.nn.Module):
    weight: torch.Tensor

    def __init__(self, weight: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("weight", weight.detach().float().contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight)


class KVCache:
    """Keys and values of every layer for one sequence, preallocated to ``capacity``
    positions; ``length`` positions are valid."""

    def __init__(self, layers: int, kv_heads: int, head_dim: int, capacity: int) -> None:
        # uninitialised: only positions below ``length`` are read, and pages never written stay unmapped
        self.keys = [torch.empty(kv_heads, capacity, head_dim) for _ in range(layers)]
        self.values = [torch.empty(kv_heads, capacity, head_dim) for _ in range(layers)]
        self.capacity = capacity
        self.length = 0

    def fits(self, more: int) -> bool:
        """Whether ``more`` positions still fit after the valid ones."""
        return self.length + more <= self.capacity

    def crop(self, length: int) -> None:
        """Forget every position from ``length`` on."""
        self.length = min(self.length, length)


def _rms(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """Gemma's RMSNorm; ``weight`` is already ``1 + w``."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


class EmbeddingTable:
    """The token embedding table, which is also the output head (tied weights). In int8
    (``quantized``): each row in int8 with its own fp32 scale, 168 MB instead of fp32's 671 MB
    for Gemma 3's 262,144 tokens (the largest single part of a serving process); a row is
    turned back into fp32 when it is looked up. Otherwise fp32, as loaded."""

    def __init__(self, weight: torch.Tensor, quantized: bool) -> None:
        weight = weight.detach()
        if quantized:
            self.scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
            self.int8: torch.Tensor | None = torch.round(weight / self.scale[:, None]).clamp(-127, 127).to(torch.int8)
            self.fp32: torch.Tensor | None = None
        else:
            self.int8, self.fp32 = None, weight.float()

    @classmethod
    def from_int8(cls, int8: torch.Tensor, scale: torch.Tensor) -> EmbeddingTable:
        table = cls.__new__(cls)
        table.int8, table.scale, table.fp32 = int8, scale, None
        return table

    def rows(self, ids: torch.Tensor) -> torch.Tensor:
        """The fp32 rows of these token ids."""
        if self.fp32 is not None:
            return self.fp32.index_select(0, ids)
        assert self.int8 is not None
        return self.int8.index_select(0, ids).float() * self.scale.index_select(0, ids)[:, None]

    def nbytes(self) -> int:
        held = [t for t in (self.int8, self.fp32) if t is not None] + ([self.scale] if self.int8 is not None else [])
        return sum(t.numel() * t.element_size() for t in held)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class _Layer:
    def __init__(self, hf_layer, linear) -> None:
        attn, mlp = hf_layer.self_attn, hf_layer.mlp
        self.qkv = linear(torch.cat([attn.q_proj.weight, attn.k_proj.weight, attn.v_proj.weight]))
        self.o = linear(attn.o_proj.weight)
        self.gate_up = linear(torch.cat([mlp.gate_proj.weight, mlp.up_proj.weight]))
        self.down = linear(mlp.down_proj.weight)
        norm = {
            name: 1.0 + getattr(hf_layer, name).weight.detach().float()
            for name in ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm")
        }
        self.norm_in, self.norm_post_attn = norm["input_layernorm"], norm["post_attention_layernorm"]
        self.norm_pre_ff, self.norm_post_ff = norm["pre_feedforward_layernorm"], norm["post_feedforward_layernorm"]
        self.q_norm = 1.0 + attn.q_norm.weight.detach().float()
        self.k_norm = 1.0 + attn.k_norm.weight.detach().float()
        self.sliding = attn.sliding_window


class LeanDecoder:
    """``forward(tokens, cache)``: the final-norm hidden states of ``tokens`` appended to
    ``cache`` (which grows by ``len(tokens)``), as ``Gemma3TextModel`` computes them."""

    def __init__(self, text_model, *, quantize: Quantization = "int8", capacity: int = 1024) -> None:
        config = text_model.config
        if config.attn_logit_softcapping is not None or getattr(config, "use_bidirectional_attention", False):
            raise ValueError("LeanDecoder supports Gemma 3 text models without attention soft-capping, causal only")
        linear = {"int8": Int8Linear, "torch-dynamic": TorchDynamicLinear, "fp32": Fp32Linear}[quantize]
        self.layers = [_Layer(layer, linear) for layer in text_model.layers[: config.num_hidden_layers]]
        self.embed = EmbeddingTable(text_model.embed_tokens.weight, quantized=quantize == "int8")
        self.embed_scale = float(text_model.embed_tokens.scalar_embed_scale)
        self.final_norm = 1.0 + text_model.norm.weight.detach().float()
        self.eps = config.rms_norm_eps
        self.heads, self.kv_heads, self.head_dim = config.num_attention_heads, config.num_key_value_heads, config.head_dim
        self.q_size, self.kv_size = self.heads * self.head_dim, self.kv_heads * self.head_dim
        self.scale = config.query_pre_attn_scalar**-0.5
        self.capacity = capacity
        positions = torch.arange(capacity, dtype=torch.float)
        rotary = {}
        for layer_type in set(config.layer_types):
            base = config.rope_parameters[layer_type]["rope_theta"]
            inv_freq = 1.0 / (base ** (torch.arange(0, self.head_dim, 2, dtype=torch.float) / self.head_dim))
            freqs = positions[:, None] * inv_freq[None, :]
            emb = torch.cat((freqs, freqs), dim=-1)
            rotary[layer_type] = (emb.cos(), emb.sin())
        self.layer_rotary = [rotary[t] for t in config.layer_types[: config.num_hidden_layers]]

    #: the parts of a layer ``save`` writes: int8 linear maps and norm weights
    _LINEARS = ("qkv", "o", "gate_up", "down")
    _NORMS = ("norm_in", "norm_post_attn", "norm_pre_ff", "norm_post_ff", "q_norm", "k_norm")

    def save(self, path: Path) -> None:
        """Write the int8 decoder to one safetensors file, so that a restart loads it in a
        second instead of loading the fp32 model, merging the adapter and quantising again."""
        from safetensors.torch import save_file

        if self.embed.int8 is None or not all(isinstance(getattr(la, n), Int8Linear) for la in self.layers for n in self._LINEARS):
            raise ValueError("only the int8 decoder is saved")
        tensors: dict[str, torch.Tensor] = {"embed.int8": self.embed.int8, "embed.scale": self.embed.scale, "final_norm": self.final_norm}
        for i, layer in enumerate(self.layers):
            for name in self._LINEARS:
                tensors[f"{i}.{name}.weight_t"] = getattr(layer, name).weight_t
                tensors[f"{i}.{name}.scale"] = getattr(layer, name).scale
            for name in self._NORMS:
                tensors[f"{i}.{name}"] = getattr(layer, name)
        tables: list[tuple[torch.Tensor, torch.Tensor]] = []  # one rotary table per layer type, shared by its layers
        for table in self.layer_rotary:
            if not any(table is known for known in tables):
                tables.append(table)
        for j, (cos, sin) in enumerate(tables):
            tensors[f"rotary.{j}.cos"], tensors[f"rotary.{j}.sin"] = cos, sin
        meta = {
            "rotary": [next(j for j, known in enumerate(tables) if known is table) for table in self.layer_rotary],
            "embed_scale": self.embed_scale,
            "eps": self.eps,
            "heads": [self.heads, self.kv_heads, self.head_dim],
            "scale": self.scale,
            "sliding": [layer.sliding for layer in self.layers],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        save_file({k: v.contiguous() for k, v in tensors.items()}, str(partial), metadata={"decoder": json.dumps(meta)})
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> LeanDecoder:
        """The decoder ``save`` wrote."""
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            meta = json.loads(f.metadata()["decoder"])
            t = {key: f.get_tensor(key) for key in f.keys()}
        self = cls.__new__(cls)
        self.embed = EmbeddingTable.from_int8(t["embed.int8"], t["embed.scale"])
        self.embed_scale, self.eps, self.scale = meta["embed_scale"], meta["eps"], meta["scale"]
        self.final_norm = t["final_norm"]
        self.heads, self.kv_heads, self.head_dim = meta["heads"]
        self.q_size, self.kv_size = self.heads * self.head_dim, self.kv_heads * self.head_dim
        self.layers = []
        for i, sliding in enumerate(meta["sliding"]):
            layer = _Layer.__new__(_Layer)
            for name in cls._LINEARS:
                setattr(layer, name, Int8Linear.from_int8(t[f"{i}.{name}.weight_t"], t[f"{i}.{name}.scale"]))
            for name in cls._NORMS:
                setattr(layer, name, t[f"{i}.{name}"])
            layer.sliding = sliding
            self.layers.append(layer)
        tables = {j: (t[f"rotary.{j}.cos"], t[f"rotary.{j}.sin"]) for j in set(meta["rotary"])}
        self.layer_rotary = [tables[j] for j in meta["rotary"]]
        self.capacity = self.layer_rotary[0][0].shape[0]
        return self

    def new_cache(self) -> KVCache:
        return KVCache(len(self.layers), self.kv_heads, self.head_dim, self.capacity)

    def forward(self, tokens: list[int], cache: KVCache) -> torch.Tensor:
        return self.forward_many([(tokens, cache)])[0]

    @torch.inference_mode()
    def forward_many(self, batch: list[tuple[list[int], KVCache]]) -> list[torch.Tensor]:
        """``forward`` for several sequences in one pass: their tokens are packed into one
        matrix for every linear map (a token's output does not depend on the other tokens
        of its pass, ``Int8Linear``), and attention is computed per sequence over its own
        cache. Each sequence's hidden states are what ``forward`` alone gives it; the
        weights are read once for all of them, which is what a pass of a few tokens costs."""
        spans: list[tuple[int, int, int, int, KVCache]] = []  # rows a:b of the pack, positions start:end
        for tokens, cache in batch:
            start = cache.length
            end = start + len(tokens)
            if not cache.fits(len(tokens)):
                raise CacheFull(f"sequence of {end} tokens is longer than the cache ({cache.capacity})")
            a = spans[-1][1] if spans else 0
            spans.append((a, a + len(tokens), start, end, cache))
        packed = [t for tokens, _ in batch for t in tokens]
        total = len(packed)
        x = self.embed.rows(torch.tensor(packed)) * self.embed_scale
        if len(spans) == 1:
            positions: torch.Tensor | None = None
        else:
            positions = torch.cat([torch.arange(start, end) for _, _, start, end, _ in spans])
        # causal masks of each sequence's new rows (None for one token: it sees every cached position)
        masks: dict[tuple[int, int | None], torch.Tensor | None] = {}
        for j, (a, b, start, end, _) in enumerate(spans):
            q_pos = torch.arange(start, end)[:, None]
            k_pos = torch.arange(end)[None, :]
            for sliding in {layer.sliding for layer in self.layers}:
                allowed = k_pos <= q_pos
                if sliding is not None:
                    allowed &= q_pos - k_pos < sliding
                masks[j, sliding] = None if b - a == 1 and bool(allowed.all()) else allowed
        for i, (layer, (cos_table, sin_table)) in enumerate(zip(self.layers, self.layer_rotary)):
            if positions is None:
                start, end = spans[0][2], spans[0][3]
                cos, sin = cos_table[start:end, None], sin_table[start:end, None]
            else:
                cos, sin = cos_table[positions, None], sin_table[positions, None]
            h = _rms(x, layer.norm_in, self.eps)
            qkv = layer.qkv(h)
            q = qkv[:, : self.q_size].view(total, self.heads, self.head_dim)
            k = qkv[:, self.q_size : self.q_size + self.kv_size].view(total, self.kv_heads, self.head_dim)
            v = qkv[:, self.q_size + self.kv_size :].view(total, self.kv_heads, self.head_dim)
            q = _rms(q, layer.q_norm, self.eps)
            k = _rms(k, layer.k_norm, self.eps)
            q = q * cos + _rotate_half(q) * sin
            k = k * cos + _rotate_half(k) * sin
            outputs = []
            for j, (a, b, start, end, cache) in enumerate(spans):
                keys, values = cache.keys[i], cache.values[i]
                keys[:, start:end] = k[a:b].transpose(0, 1)
                values[:, start:end] = v[a:b].transpose(0, 1)
                attn = F.scaled_dot_product_attention(
                    q[a:b].transpose(0, 1).unsqueeze(0),
                    keys[:, :end].unsqueeze(0),
                    values[:, :end].unsqueeze(0),
                    attn_mask=masks[j, layer.sliding],
                    scale=self.scale,
                    enable_gqa=True,
                )[0]
                outputs.append(attn.transpose(0, 1).reshape(b - a, self.q_size))
            attn = layer.o(outputs[0] if len(outputs) == 1 else torch.cat(outputs))
            x = x + _rms(attn, layer.norm_post_attn, self.eps)
            h = _rms(x, layer.norm_pre_ff, self.eps)
            gate, up = layer.gate_up(h).chunk(2, dim=-1)
            x = x + _rms(layer.down(F.gelu(gate, approximate="tanh") * up), layer.norm_post_ff, self.eps)
        for _, _, _, end, cache in spans:
            cache.length = end
        x = _rms(x, self.final_norm, self.eps)
        return [x[a:b] for a, b, _, _, _ in spans]
