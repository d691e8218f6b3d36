"""Text normalisation (``NormaliserMixin``): lower case and unified quotes and dashes,
contractions expanded, listed typos fixed, misspelt brand and category words repaired
at edit distance 1, and spoken numbers turned into digits ("a hundred and twenty" -> "120").
"""

from __future__ import annotations

import re

from assistant.intent.rules.base import ParserBase
from assistant.intent.rules.lexicon import _deletes, _lookup_key


class NormaliserMixin(ParserBase):
    """``normalise`` and the steps behind it."""

    def normalise(self, raw: str) -> str:
        return self._normalise(raw)[1]

    def _normalise(self, raw: str) -> tuple[str, str]:
        """(plain, text): both normalised; only ``text`` has fuzzy-repaired words."""
        lex = self.lex
        text = raw.lower()
        for a, b in (("’", "'"), ("‘", "'"), ("`", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
            text = text.replace(a, b)
        if lex.contractions_re is not None:
            text = lex.contractions_re.sub(lambda m: lex.contractions.get(_lookup_key(m.group(0)), m.group(0)), text)
        if lex.typos_re is not None:
            text = lex.typos_re.sub(lambda m: lex.typos.get(_lookup_key(m.group(0)), m.group(0)), text)
        fixed = self._fuzzy_fix(text)
        plain = " ".join(self._number_words(text).split())
        return plain, (plain if fixed == text else " ".join(self._number_words(fixed).split()))

    def _fuzzy_fix(self, text: str) -> str:
        if not self._fuzzy:
            return text

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if len(word) < 7 or word in self._fuzzy_known or word in self.lex.fuzzy_blocklist:
                return word
            found = {self._fuzzy.get(k) for k in _deletes(word) | {word} if k in self._fuzzy}
            found.discard(None)
            if len(found) == 1:
                return found.pop()  # type: ignore[return-value]
            return word

        return re.sub(r"[a-z]{7,}", fix, text)

    def _number_words(self, text: str) -> str:
        """'a hundred and twenty' -> '120', 'twenty five' -> '25'; a lone 'one' is kept."""
        lex = self.lex
        numeric = set(lex.units) | set(lex.tens) | set(lex.scales)
        if not any(w in numeric for w in re.findall(r"[a-z]+", text)):
            return text
        toks = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z]+", text)]
        n = len(toks)

        def adjacent(i: int, j: int) -> bool:
            return re.fullmatch(r"[\s-]*", text[toks[i][2] : toks[j][1]]) is not None

        replacements: list[tuple[int, int, str]] = []
        i = 0
        while i < n:
            word = toks[i][0]
            starts = (
                word in lex.units
                or word in lex.tens
                or (word in ("a", "an") and i + 1 < n and toks[i + 1][0] in lex.scales and adjacent(i, i + 1))
            )
            if not starts:
                i += 1
                continue
            total, current, last, count, j, scale_seen = 0, 0, None, 0, i, False
            while j < n:
                w = toks[j][0]
                if j > i and not adjacent(j - 1, j):
                    break
                if w in ("a", "an") and last is None:
                    current, last = 1, "a"
                elif w in lex.units:
                    u = lex.units[w]
                    if last in (None, "scale", "and"):
                        current += u
                    elif last == "tens" and u < 10 and current % 10 == 0:
                        current += u
                    else:
                        break
                    last = "unit"
                    count += 1
                elif w in lex.tens:
                    t = lex.tens[w]
                    if last in (None, "scale", "and"):
                        current += t
                    elif last == "unit" and 1 <= current <= 9 and total == 0 and not scale_seen:
                        current = current * 100 + t  # "one fifty" -> 150
                    else:
                        break
                    last = "tens"
                    count += 1
                elif w == "hundred":
                    if last in ("unit", "tens", "a") and current < 100:
                        current = (current or 1) * 100
                    else:
                        break
                    last, scale_seen = "scale", True
                    count += 1
                elif w in lex.scales:  # thousand, grand
                    if last in ("unit", "tens", "a", "scale"):
                        total += (current or 1) * lex.scales[w]
                        current = 0
                    else:
                        break
                    last, scale_seen = "scale", True
                    count += 1
                elif (
                    w == "and"
                    and last == "scale"
                    and j + 1 < n
                    and adjacent(j, j + 1)
                    and (toks[j + 1][0] in lex.units or toks[j + 1][0] in lex.tens)
                    and not (j + 2 < n and adjacent(j + 1, j + 2) and toks[j + 2][0] == "hundred" and total == 0)
                ):
                    # "two hundred and four hundred" is two numbers, not 204 followed by "hundred"
                    # ("two thousand and five hundred" is one)
                    last = "and"
                else:
                    break
                j += 1
            if count == 0:
                i += 1
                continue
            end_idx = j - 1
            while toks[end_idx][0] in ("and", "a", "an"):
                end_idx -= 1
            value: float = total + current
            # "ten and a half"
            if j + 2 < n and toks[j][0] == "and" and toks[j + 1][0] == "a" and toks[j + 2][0] == "half":
                value += 0.5
                end_idx = j + 2
            nxt = toks[end_idx + 1][0] if end_idx + 1 < n else ""
            prev = toks[i - 1][0] if i > 0 else ""
            lone_one = count == 1 and value == 1
            if lone_one and not (re.match(r"(?:dollar|buck|pound|euro|quid|grand|hundred)", nxt) or prev == "size"):
                i = end_idx + 1
                continue
            rendered = str(int(value)) if float(value).is_integer() else str(value)
            replacements.append((toks[i][1], toks[end_idx][2], rendered))
            i = end_idx + 1
        for start, end, rendered in reversed(replacements):
            text = text[:start] + rendered + text[end:]
        return text
