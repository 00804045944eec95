"""Positional postings, appended doc by doc (in id order) into one flat integer array per token.

An entry per (token, doc): doc gap, head = 2 × body positions + (1 if in the title), then
[number of title positions, title offsets as deltas] when in the title, then body offsets as
deltas (the first one from 0). See docs/search-format.md.
"""

from __future__ import annotations

from array import array

from generator.search import tokenizer

Slot = list
"""[array of the token's entries, last doc, index of the last entry's head, last body offset]."""


class Postings:
    """Every token's postings; add docs in increasing id order."""

    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {}

    def lists(self) -> dict[str, array]:
        """Token → its encoded integer list."""
        return {tok: slot[0] for tok, slot in self.slots.items()}

    def add(self, doc: int, title: str, body: str) -> None:
        """Add doc DOC with folded TITLE and folded BODY."""
        slots = self.slots
        for tok, tps in tokenizer.tokens(title, title=True).items():
            entry = [len(tps)]
            prev = 0
            for p in tps:
                entry.append(p - prev)
                prev = p
            slot = slots.get(tok)
            if slot is None:
                slots[tok] = [array("I", [doc + 1, 1, *entry]), doc, 1, 0]
            else:
                arr = slot[0]
                arr.append(doc - slot[1])
                slot[1], slot[2], slot[3] = doc, len(arr), 0
                arr.append(1)
                arr.extend(entry)
        astral = tokenizer.has_astral(body)
        for kind, start, run in tokenizer.runs(body):
            if kind == "w":
                if len(run) <= tokenizer.MAX_WORD:
                    self._body(doc, run, start)
                continue
            if astral:
                at = tokenizer.offsets(run, start)
                for i in range(len(run) - 1):
                    self._body(doc, run[i:i + 2], at[i])
                continue
            for i in range(len(run) - 1):  # the hot loop: self._body inlined
                tok, p = run[i:i + 2], start + i
                slot = slots.get(tok)
                if slot is None:
                    slots[tok] = [array("I", (doc + 1, 2, p)), doc, 1, p]
                elif slot[1] != doc:
                    arr = slot[0]
                    arr.append(doc - slot[1])
                    slot[1], slot[2], slot[3] = doc, len(arr), p
                    arr.append(2)
                    arr.append(p)
                else:
                    arr = slot[0]
                    arr[slot[2]] += 2
                    arr.append(p - slot[3])
                    slot[3] = p

    def _body(self, doc: int, tok: str, p: int) -> None:
        slot = self.slots.get(tok)
        if slot is None:
            self.slots[tok] = [array("I", (doc + 1, 2, p)), doc, 1, p]
        elif slot[1] != doc:
            arr = slot[0]
            arr.append(doc - slot[1])
            slot[1], slot[2], slot[3] = doc, len(arr), p
            arr.append(2)
            arr.append(p)
        else:
            arr = slot[0]
            arr[slot[2]] += 2
            arr.append(p - slot[3])
            slot[3] = p

    def merge(self, later: "Postings") -> None:
        """Append the postings of LATER, which holds only higher doc ids."""
        slots = self.slots
        for tok, theirs in later.slots.items():
            mine = slots.get(tok)
            if mine is None:
                slots[tok] = theirs
                continue
            arr = theirs[0]
            arr[0] = arr[0] - 1 - mine[1]  # their first gap was counted from -1
            mine[2] = len(mine[0]) + theirs[2]
            mine[0].extend(arr)
            mine[1], mine[3] = theirs[1], theirs[3]
