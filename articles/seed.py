"""The roles and verdict scale every installation starts with.

Used by data migration 0002 (with historical models) and by tests, whose
transactional cases flush the tables that the migration filled.
"""

from __future__ import annotations

from typing import Any

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "Admin": [
        "manage_newsroom",
        "view_desk",
        "work_desk",
        "self_assign",
        "view_newsroomsettings",
        "change_newsroomsettings",
    ],
    "Editor": ["view_desk", "work_desk", "self_assign"],
    "Reviewer": ["view_desk", "self_assign"],
}

# name, rating value, colour, no evidence needed, description
VERDICTS: list[tuple[str, int | None, str, bool, str]] = [
    ("True", 5, "#1a7f37", False, "The claim is accurate."),
    ("Mostly true", 4, "#4d9a3a", False, "Accurate but needs clarification or context."),
    ("Mixed", 3, "#b58900", False, "Partly accurate, partly not."),
    ("Mostly false", 2, "#c9510c", False, "Contains an element of truth but is misleading."),
    ("False", 1, "#cf222e", False, "The claim is inaccurate."),
    ("Unverifiable", None, "#6e7781", True, "The evidence available cannot confirm or refute it."),
]


def ensure_roles(Group: Any, Permission: Any) -> None:
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def ensure_verdicts(Verdict: Any) -> None:
    for name, rating, colour, no_evidence, description in VERDICTS:
        Verdict.objects.get_or_create(
            name=name,
            defaults={
                "rating_value": rating,
                "colour": colour,
                "no_evidence_needed": no_evidence,
                "description": description,
            },
        )
