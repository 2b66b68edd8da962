"""Reading `entries:` (knowledge/*.yaml): each entry's fields, its follow-ups, list items, map zone and the rest."""

from __future__ import annotations

import re
from typing import Any

from bot.core.kb_fields import LINE_KEY, FieldReader, line_of
from bot.core.knowledge import (
    FOLLOW_UP_KINDS,
    AskedWhen,
    Condition,
    Entry,
    EntryKind,
    ListItem,
    MapZone,
)
from bot.core.text import normalise

_PLACEHOLDER = re.compile(r"\{\w*\}")
MAP_REGIONS = ("big_toe", "middle_toes", "little_toe", "toe_tips", "heart_point", "liver_stomach", "plantar", "ankles")
FEET = ("left", "right", "both")
ENTRY_FIELDS = (
    "id",
    "kind",
    "title",
    "section",
    "phrasings",
    "keywords",
    "answer",
    "related",
    "map",
    "benefit",
    "follow_ups",
    "carries",
    "gaps",
    "remedy_for",
    "answers_gaps",
    "asked_when",
    "asked_alone",
    "sure_from",
    "items",
)


class EntryReader(FieldReader):
    """The entries of every file, each checked field by field."""

    def build_entries(self) -> list[Entry]:
        entries: list[Entry] = []
        seen: dict[str, str] = {}
        for file, raw in self.raw_entries:
            if not isinstance(raw, dict):
                self.problem(file, None, None, "entries", "each entry must be a mapping with id, phrasings, answer")
                continue
            entry = self.build_entry(file, raw, seen)
            if entry is not None:
                entries.append(entry)
        self.check_phrasings_apart(entries)
        return entries

    def check_phrasings_apart(self, entries: list[Entry]) -> None:
        """A phrasing (as normalised) belongs to one entry: in two, the model learns it for both and neither wins."""
        owner: dict[str, str] = {}
        for entry in entries:
            for phrasing in dict.fromkeys(map(normalise, entry.phrasings)):
                other = owner.setdefault(phrasing, entry.id)
                if other != entry.id:
                    self.problem(
                        entry.file,
                        entry.line,
                        entry.id,
                        "phrasings",
                        f"'{phrasing}' is a phrasing of '{other}' too: keep it in the entry that answers it",
                    )

    def build_entry(self, file: str, raw: dict[str, Any], seen: dict[str, str]) -> Entry | None:
        line = raw.get(LINE_KEY)
        entry_id = self.text(file, raw, "id", None)
        label = entry_id or None
        if entry_id:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", entry_id):
                self.problem(file, line, entry_id, "id", "use lower-case letters, digits and underscores")
            if entry_id in seen:
                self.problem(file, line, entry_id, "id", f"duplicate id (also in {seen[entry_id]})")
            seen[entry_id] = file
        self.check_fields(file, raw, label, ENTRY_FIELDS, line=line)
        kind_text = self.text(file, raw, "kind", label, required=False) or EntryKind.ANSWER.value
        try:
            kind = EntryKind(kind_text)
        except ValueError:
            self.problem(file, line, label, "kind", f"unknown kind '{kind_text}' (use: {', '.join(EntryKind)})")
            kind = EntryKind.ANSWER
        phrasings = self.string_list(file, raw.get("phrasings"), label, "phrasings", line=line)
        keywords = self.string_list(file, raw.get("keywords"), label, "keywords", line=line, allow_empty=True)
        related = self.string_list(file, raw.get("related"), label, "related", line=line, allow_empty=True)
        answer = self.text(file, raw, "answer", label)
        if placeholder := _PLACEHOLDER.search(answer):  # only fixed messages are filled in ("{title}" in credit)
            self.problem(
                file, line, label, "answer", f"'{placeholder.group()}' is never filled in an answer: write it out"
            )
        title = self.text(file, raw, "title", label)
        section = self.text(file, raw, "section", label, required=kind is EntryKind.ANSWER) or None
        benefit = raw.get("benefit", False)
        if not isinstance(benefit, bool):
            self.problem(file, line, label, "benefit", "must be true or false")
            benefit = False
        map_zone = self.build_map_zone(file, raw.get("map"), label, line)
        follow_ups = self.build_follow_ups(file, raw.get("follow_ups"), label, line)
        items = self.build_items(file, raw.get("items"), label, line)
        carries = self.build_carries(file, raw.get("carries"), label, line)
        gaps = self.string_list(file, raw.get("gaps"), label, "gaps", line=line, allow_empty=True)
        if gaps and kind is not EntryKind.OUT_OF_SCOPE:
            self.problem(file, line, label, "gaps", "only an out_of_scope entry names what the guide has no word for")
        remedy_for = self.string_list(file, raw.get("remedy_for"), label, "remedy_for", line=line, allow_empty=True)
        if remedy_for and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "remedy_for", "only an answer entry says what a foot massage eases")
        answers_gaps = self.string_list(
            file, raw.get("answers_gaps"), label, "answers_gaps", line=line, allow_empty=True
        )
        if answers_gaps and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "answers_gaps", "only an answer entry answers a gap")
        asked_when = self.build_asked_when(file, raw, label, line, kind, "asked_when")
        asked_alone = self.build_asked_when(file, raw, label, line, kind, "asked_alone")
        sure_from = raw.get("sure_from")
        if sure_from is not None and (
            isinstance(sure_from, bool) or not isinstance(sure_from, int | float) or not 0 < sure_from <= 100
        ):
            self.problem(file, line, label, "sure_from", "must be a score above 0, at most 100")
            sure_from = None
        elif sure_from is not None and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "sure_from", "only an answer entry answers from a score")
            sure_from = None
        if not entry_id:
            return None
        return Entry(
            id=entry_id,
            kind=kind,
            phrasings=tuple(phrasings),
            answer=answer,
            title=title,
            keywords=tuple(keywords),
            section=section,
            related=tuple(related),
            map_zone=map_zone,
            benefit=benefit,
            follow_ups=follow_ups,
            carries=carries,
            gaps=tuple(gaps),
            remedy_for=tuple(remedy_for),
            answers_gaps=tuple(answers_gaps),
            asked_when=asked_when,
            asked_alone=asked_alone,
            sure_from=float(sure_from) if sure_from is not None else None,
            items=items,
            file=file,
            line=line,
        )

    def build_follow_ups(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[tuple[str, str], ...]:
        """`follow_ups: {why: id, more: id, how: id}`; the ids are checked once every entry is known."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            kinds = ", ".join(FOLLOW_UP_KINDS)
            self.problem(file, line, entry, "follow_ups", f"must be a mapping of {kinds}: entry id")
            return ()
        pairs: list[tuple[str, str]] = []
        for kind, target in raw.items():
            if kind == LINE_KEY:
                continue
            at = line_of(raw, kind, line)
            if kind not in FOLLOW_UP_KINDS:
                self.problem(file, at, entry, f"follow_ups.{kind}", f"unknown (use: {', '.join(FOLLOW_UP_KINDS)})")
            elif not isinstance(target, str) or not target.strip():
                self.problem(file, at, entry, f"follow_ups.{kind}", "must be an entry id")
            else:
                pairs.append((str(kind), target.strip()))
        return tuple(pairs)

    def build_items(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[ListItem, ...]:
        """`items: [entry id, [id, id], {says: a line}, ...]`: what an answer lists, in its order; the ids are
        checked once every entry is known."""
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(file, line, entry, "items", "must be a list of entry ids, [ids] or {says: a line}")
            return ()
        items: list[ListItem] = []
        for number, item in enumerate(raw, start=1):
            if isinstance(item, str) and item.strip():
                items.append(ListItem(entries=(item.strip(),)))
            elif isinstance(item, list) and item and all(isinstance(one, str) and one.strip() for one in item):
                items.append(ListItem(entries=tuple(one.strip() for one in item)))
            elif isinstance(item, dict) and set(item) - {LINE_KEY} == {"says"} and isinstance(item["says"], str):
                says = " ".join(item["says"].split())
                if says:
                    items.append(ListItem(says=says))
                else:
                    self.problem(
                        file, line_of(raw, number - 1, line), entry, f"items[{number}].says", "must not be empty"
                    )
            else:
                where = line_of(raw, number - 1, line)
                self.problem(file, where, entry, f"items[{number}]", "must be an entry id, [ids] or {says: a line}")
        return tuple(items)

    def build_asked_when(
        self, file: str, entry_raw: dict[str, Any], entry: str | None, line: int | None, kind: EntryKind, field: str
    ) -> AskedWhen | None:
        """An entry's `asked_when: {asks: [how to give, ...], about: [foot, feet, ...]}` (or `asked_alone`): both
        lists, neither empty, and only on an answer entry."""
        raw = entry_raw.get(field)
        if raw is None:
            return None
        if kind is not EntryKind.ANSWER:
            self.problem(file, line, entry, field, "only an answer entry is asked for this way")
        if not isinstance(raw, dict) or set(raw) - {LINE_KEY} != {"asks", "about"}:
            self.problem(file, line, entry, field, "must be a mapping with two lists: asks and about")
            return None
        asks = self.string_list(file, raw.get("asks"), entry, f"{field}.asks", line=line)
        about = self.string_list(file, raw.get("about"), entry, f"{field}.about", line=line)
        return AskedWhen(tuple(asks), tuple(about)) if asks and about else None

    def build_carries(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[Condition, ...]:
        names = self.string_list(file, raw, entry, "carries", line=line, allow_empty=True)
        conditions: list[Condition] = []
        for name in names:
            try:
                conditions.append(Condition(name))
            except ValueError:
                self.problem(file, line, entry, "carries", f"unknown condition '{name}' (use: {', '.join(Condition)})")
        return tuple(conditions)

    def build_map_zone(self, file: str, raw: Any, entry: str | None, line: int | None) -> MapZone | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.problem(file, line, entry, "map", "must be a mapping: {region: ..., foot: ..., label: ...}")
            return None
        region = self.text(file, raw, "region", entry)
        foot = self.text(file, raw, "foot", entry)
        label = self.text(file, raw, "label", entry)
        if region and region not in MAP_REGIONS:
            self.problem(file, line, entry, "map.region", f"unknown region '{region}' (use: {', '.join(MAP_REGIONS)})")
        if foot and foot not in FEET:
            self.problem(file, line, entry, "map.foot", f"unknown foot '{foot}' (use: {', '.join(FEET)})")
        return MapZone(region=region, foot=foot, label=label)
