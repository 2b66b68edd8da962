"""Reading `actions:` (actions.yaml): the features asked for in words, their patterns and the texts they reply with."""

from __future__ import annotations

import re
from typing import Any

from bot.core.actions import ActionKind
from bot.core.kb_fields import LINE_KEY, FieldReader, line_of, line_of_text
from bot.core.knowledge import (
    ActionRule,
    ActionRules,
)

ACTION_FIELDS = (
    "do", "reply", "reply_at", "reply_with_place", "patterns", "with_time", "if_known_place", "with_place",
)  # fmt: skip
# What each action's texts may name, and which need a reply: routine and safety are composed by the engine.
ACTION_PLACEHOLDERS = {ActionKind.REMIND: "time", ActionKind.TIMEZONE: "place"}
ACTION_REPLY_FIELDS = {ActionKind.FOOT_MAP: ("zones",)}
ACTIONS_WITHOUT_REPLY = (ActionKind.ROUTINE, ActionKind.SAFETY)


class ActionsReader(FieldReader):
    """The action rules, each pattern compiled and each reply's placeholders checked."""

    def build_actions(self) -> ActionRules:
        """`actions: {openings, requests}`; optional: without it, no feature is recognised in words."""
        if "actions" not in self.sections:
            return ActionRules()
        file, raw = self.sections["actions"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "actions", "must be a mapping with openings and requests")
            return ActionRules()
        line = raw.get(LINE_KEY)
        self.check_fields(file, raw, None, ("spellings", "openings", "requests"), "actions", line)
        openings = self.string_list(file, raw.get("openings"), None, "actions.openings", line=line, allow_empty=True)
        for pattern in openings:
            try:
                re.compile(pattern)
            except re.error as error:
                where = line_of_text(raw.get("openings"), pattern, line)
                self.problem(file, where, None, "actions.openings", f"bad regular expression {pattern!r}: {error}")
        spellings = self.action_spellings(file, raw.get("spellings"), line)
        requests = raw.get("requests")
        if not isinstance(requests, list):
            self.problem(file, line, None, "actions.requests", "must be a list of {do, patterns, reply}")
            return ActionRules(openings=tuple(openings), spellings=spellings)
        rules: list[ActionRule] = []
        seen: set[str] = set()
        for index, item in enumerate(requests):
            rule = self.build_action_rule(file, item, line_of(requests, index, line), seen)
            if rule is not None:
                rules.append(rule)
        return ActionRules(openings=tuple(openings), rules=tuple(rules), spellings=spellings)

    def build_action_rule(self, file: str, raw: Any, line: int | None, seen: set[str]) -> ActionRule | None:
        if not isinstance(raw, dict):
            self.problem(file, line, None, "actions.requests", "each request must be a mapping with do and patterns")
            return None
        line = raw.get(LINE_KEY, line)
        name = self.text(file, raw, "do", None)
        label = f"action {name}" if name else "action"
        self.check_fields(file, raw, label, ACTION_FIELDS, line=line)
        try:
            kind = ActionKind(name)
        except ValueError:
            if name:
                self.problem(file, line, label, "do", f"unknown action (use: {', '.join(ActionKind)})")
            return None
        if name in seen:
            self.problem(file, line, label, "do", "defined twice: list all its patterns under one request")
        seen.add(name)
        lists = {
            key: self.string_list(file, raw.get(key), label, key, line=line, allow_empty=True)
            for key in ("patterns", "with_time", "if_known_place", "with_place")
        }
        if not any(lists[key] for key in ("patterns", "with_time", "if_known_place")):
            self.problem(file, line, label, "patterns", "missing: how do people ask for it?")
        for key, patterns in lists.items():
            self.check_action_patterns(file, line, label, key, patterns, raw.get(key))
        reply = self.text(file, raw, "reply", label, required=kind not in ACTIONS_WITHOUT_REPLY)
        reply_at = self.text(file, raw, "reply_at", label, required=kind in ACTION_PLACEHOLDERS) or None
        self.check_placeholders(file, line, label, "reply", reply, ACTION_REPLY_FIELDS.get(kind, ()))
        if reply_at is not None:
            wanted = ACTION_PLACEHOLDERS.get(kind)
            self.check_placeholders(file, line, label, "reply_at", reply_at, (wanted,) if wanted else ())
            if wanted and "{" + wanted + "}" not in reply_at:
                self.problem(file, line, label, "reply_at", f"should name the {wanted} with {{{wanted}}}")
        reply_with_place = self.text(file, raw, "reply_with_place", label, required=bool(lists["with_place"])) or None
        if reply_with_place is not None:
            self.check_placeholders(file, line, label, "reply_with_place", reply_with_place, ("time", "place"))
        return ActionRule(
            do=kind.value,
            reply=reply,
            reply_at=reply_at,
            patterns=tuple(lists["patterns"]),
            with_time=tuple(lists["with_time"]),
            if_known_place=tuple(lists["if_known_place"]),
            with_place=tuple(lists["with_place"]),
            reply_with_place=reply_with_place,
            file=file,
            line=line,
        )

    def check_action_patterns(
        self, file: str, line: int | None, label: str, key: str, patterns: list[str], raw: Any = None
    ) -> None:
        """Valid regular expressions whose only named group is `place` (required in if_known_place); each problem
        on the pattern's own line (`raw`: the list as read from YAML)."""
        for pattern in patterns:
            at = line_of_text(raw, pattern, line)
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                self.problem(file, at, label, key, f"bad regular expression {pattern!r}: {error}")
                continue
            unknown = set(compiled.groupindex) - {"place"}
            if unknown:
                self.problem(file, at, label, key, f"{pattern!r}: the only named group allowed is (?P<place>...)")
            if key in ("if_known_place", "with_place") and "place" not in compiled.groupindex:
                self.problem(file, at, label, key, f"{pattern!r}: needs a (?P<place>...) group")
