"""The lean decoder computes what transformers' Gemma 3 computes, its int8 layers keep a
token's output independent of the rest of its pass, and the drafter proposes the right
continuations. A small randomly initialised Gemma 3 (the real transformers class) stands
in for the 270M model, so these run in seconds."""

from __future__ import annotations

import pytest
import torch

from assistant.intent.decoder import EmbeddingTable, Fp32Linear, Int8Linear, LeanDecoder


@pytest.fixture(scope="module")
def tiny_gemma():
    from transformers import Gemma3TextConfig
    from transformers.models.gemma3.modeling_gemma3 import Gemma3TextModel

    torch.manual_seed(0)
    config = Gemma3TextConfig(
        vocab_size=300,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=1,
        head_dim=16,
        query_pre_attn_scalar=16,
        sliding_window=8,
        layer_types=["sliding_attention", "sliding_attention", "sliding_attention", "full_attention"],
    )
    model = Gemma3TextModel(config).eval()
    with torch.no_grad():  # non-trivial norm weights (they start at zero)
        for name, param in model.named_parameters():
            if "norm" in name:
                param.normal_(0, 0.3)
    return model


def _reference(model, tokens: list[int]) -> torch.Tensor:
    with torch.inference_mode():
        return model(input_ids=torch.tensor([tokens])).last_hidden_state[0]


def test_fp32_matches_transformers_in_one_pass_and_token_by_token(tiny_gemma):
    tokens = list(range(5, 25))  # longer than the sliding window of 8
    want = _reference(tiny_gemma, tokens)
    decoder = LeanDecoder(tiny_gemma, quantize="fp32", capacity=64)
    cache = decoder.new_cache()
    assert torch.allclose(decoder.forward(tokens, cache), want, atol=1e-4)
    cache.crop(0)
    decoder.forward(tokens[:3], cache)
    steps = torch.cat([decoder.forward([t], cache) for t in tokens[3:]])
    assert torch.allclose(steps, want[3:], atol=1e-4)


def test_cropping_the_cache_forgets_the_rejected_tokens(tiny_gemma):
    decoder = LeanDecoder(tiny_gemma, quantize="fp32", capacity=64)
    cache = decoder.new_cache()
    decoder.forward([5, 6, 7, 8], cache)
    decoder.forward([40, 41, 42], cache)  # a draft the model rejects after its first token
    cache.crop(5)
    got = decoder.forward([9], cache)
    assert torch.allclose(got, _reference(tiny_gemma, [5, 6, 7, 8, 40, 9])[-1:], atol=1e-4)


def test_int8_is_close_to_fp32(tiny_gemma):
    tokens = list(range(30, 50))
    exact, quantised = (
        decoder.forward(tokens, decoder.new_cache())
        for decoder in (LeanDecoder(tiny_gemma, quantize="fp32"), LeanDecoder(tiny_gemma, quantize="int8"))
    )
    cosine = torch.nn.functional.cosine_similarity(exact, quantised, dim=-1)
    assert float(cosine.min()) > 0.99


def test_int8_linear_gives_each_token_the_same_output_alone_or_in_a_pass():
    torch.manual_seed(1)
    weight = torch.randn(96, 64)
    layer = Int8Linear(weight)
    x = torch.randn(7, 64)
    x[3] *= 50  # one token with large activations must not coarsen the others
    together = layer(x)
    alone = torch.cat([layer(x[i : i + 1]) for i in range(7)])
    assert torch.equal(together, alone)
    exact = Fp32Linear(weight)(x)
    assert float(((together - exact).norm(dim=-1) / exact.norm(dim=-1)).max()) < 0.02


def test_the_int8_embedding_table_is_a_quarter_of_fp32_and_each_row_is_within_half_a_step():
    torch.manual_seed(2)
    weight = torch.randn(1000, 64) * torch.rand(1000, 1)  # rows of very different magnitudes
    table, exact = EmbeddingTable(weight, quantized=True), EmbeddingTable(weight, quantized=False)
    ids = torch.tensor([0, 17, 999, 17])
    step = weight.abs().amax(dim=1)[ids] / 127
    assert bool(((table.rows(ids) - weight[ids]).abs() <= step[:, None] / 2 + 1e-7).all())
    assert torch.equal(exact.rows(ids), weight[ids])
    assert table.nbytes() == 1000 * 64 + 1000 * 4 and exact.nbytes() == 1000 * 64 * 4


def test_the_saved_int8_decoder_loads_back_and_computes_the_same(tiny_gemma, tmp_path):
    decoder = LeanDecoder(tiny_gemma, quantize="int8", capacity=64)
    decoder.save(tmp_path / "decoder.safetensors")
    loaded = LeanDecoder.load(tmp_path / "decoder.safetensors")
    tokens = [5, 6, 7, 8, 40]
    assert torch.equal(loaded.forward(tokens, loaded.new_cache()), decoder.forward(tokens, decoder.new_cache()))
    assert loaded.capacity == 64
    with pytest.raises(ValueError, match="only the int8"):
        LeanDecoder(tiny_gemma, quantize="fp32").save(tmp_path / "fp32.safetensors")


def test_a_sequence_longer_than_the_cache_is_refused(tiny_gemma):
    decoder = LeanDecoder(tiny_gemma, quantize="int8", capacity=8)
    with pytest.raises(ValueError, match="longer than the cache"):
        decoder.forward(list(range(10)), decoder.new_cache())


def test_sequences_packed_in_one_pass_get_what_each_gets_alone(tiny_gemma):
    """``forward_many`` packs several sequences (different lengths, different cached
    prefixes, past the sliding window) into one pass; int8 rows are exact per token, so
    each sequence's hidden states are the same as alone, to float rounding in attention."""
    decoder = LeanDecoder(tiny_gemma, quantize="int8", capacity=64)
    prefixes = [[5, 6, 7], [], list(range(60, 72))]
    news = [[8, 9, 10, 11, 12, 13, 14, 15, 16, 17], [20], [30, 31]]
    alone, packed_caches = [], []
    for prefix, new in zip(prefixes, news):
        cache = decoder.new_cache()
        if prefix:
            decoder.forward(prefix, cache)
        alone.append(decoder.forward(new, cache))
        packed = decoder.new_cache()
        if prefix:
            decoder.forward(prefix, packed)
        packed_caches.append(packed)
    together = decoder.forward_many(list(zip(news, packed_caches)))
    for want, got, prefix, new, cache in zip(alone, together, prefixes, news, packed_caches):
        assert got.shape == want.shape
        assert torch.allclose(got, want, atol=1e-5)
        assert cache.length == len(prefix) + len(new)
    # the caches go on as if each sequence had been alone: one more token each
    follow = decoder.forward_many([([40], c) for c in packed_caches])
    for prefix, new, got in zip(prefixes, news, follow):
        single = decoder.new_cache()
        assert torch.allclose(got, decoder.forward([*prefix, *new, 40], single)[-1:], atol=1e-4)


def test_a_pack_with_a_sequence_too_long_for_its_cache_is_refused_whole(tiny_gemma):
    decoder = LeanDecoder(tiny_gemma, quantize="int8", capacity=8)
    short, long = decoder.new_cache(), decoder.new_cache()
    with pytest.raises(ValueError, match="longer than the cache"):
        decoder.forward_many([([1, 2], short), (list(range(10)), long)])
    assert short.length == 0 and long.length == 0
