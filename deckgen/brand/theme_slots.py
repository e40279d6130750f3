"""Which theme colour slot each brand role fills: the one table, and the colour scheme a kit writes.

:data:`ROLE_THEME_SLOTS` maps brand roles onto the twelve colour slots of a PowerPoint theme (Dark 1,
Light 1, Accent 1 …). Applying a kit writes colours through it (:func:`theme_colors`), importing a kit
from a corporate template reads them back through it, and the swatch and brand.yaml label roles with it.
"""

from __future__ import annotations

from deckgen.brand.colour import WHITE, mix
from deckgen.model import BrandColors

THEME_SLOT_LABELS = {  # how PowerPoint names the slots in Design › Variants › Colors › Customize, in its order
    "dk1": "Text/Background - Dark 1",
    "lt1": "Text/Background - Light 1",
    "dk2": "Text/Background - Dark 2",
    "lt2": "Text/Background - Light 2",
    "accent1": "Accent 1",
    "accent2": "Accent 2",
    "accent3": "Accent 3",
    "accent4": "Accent 4",
    "accent5": "Accent 5",
    "accent6": "Accent 6",
    "hlink": "Hyperlink",
    "folHlink": "Followed Hyperlink",
}
# brand role -> the theme slots it fills; the first is the one a role is read back from. Accent 6 is no role:
# it is a tint of the primary (see theme_colors).
ROLE_THEME_SLOTS: dict[str, tuple[str, ...]] = {
    "text": ("dk1",),
    "background": ("lt1",),
    "primary": ("accent1", "dk2", "folHlink"),
    "secondary": ("accent2", "hlink"),
    "accent": ("accent3",),
    "muted": ("lt2",),
    "positive": ("accent4",),
    "negative": ("accent5",),
}
ROLES = ("primary", "secondary", "accent", "text", "background", "muted", "positive", "negative")  # as kits list them
DEFAULT_TEXT = "1F2933"  # the text colour when a kit or theme gives none
# good fit / risk and walk away: semantic, so a kit that leaves them out gets these, never a brand colour
STATUS_COLORS = {"positive": "2E7D4F", "negative": "B3261E"}
_HYPERLINK_SLOTS = ("hlink", "folHlink")  # not shown as a role's home: PowerPoint lists them apart from the colours


def slot_label(slot: str) -> str:
    """PowerPoint's short name of a theme slot ('Dark 1', 'Accent 2')."""
    return THEME_SLOT_LABELS[slot].removeprefix("Text/Background - ")


def role_slot(role: str) -> str:
    """The theme slot a brand role is read back from (``primary`` -> ``accent1``)."""
    return ROLE_THEME_SLOTS[role][0]


def role_slot_labels(role: str, joiner: str = " + ") -> str:
    """Where a role lands in the theme, in PowerPoint's words and order ('Dark 2 + Accent 1')."""
    order = list(THEME_SLOT_LABELS)
    slots = sorted((s for s in ROLE_THEME_SLOTS[role] if s not in _HYPERLINK_SLOTS), key=order.index)
    return joiner.join(slot_label(s) for s in slots)


def theme_colors(colors: BrandColors) -> dict[str, str]:
    """The theme colour scheme (slot -> hex without '#') a brand kit's colours write.

    Roles a kit leaves out are filled in: muted is a 90 % tint of the primary; positive and negative are
    deckgen's fixed status green and red (:data:`STATUS_COLORS`), never shades of the brand's colours.
    """
    filled = colors.model_dump()
    filled["muted"] = colors.muted or mix(colors.primary, WHITE, 0.9)
    filled["positive"] = colors.positive or STATUS_COLORS["positive"]
    filled["negative"] = colors.negative or STATUS_COLORS["negative"]
    by_slot = {slot: filled[role] for role, slots in ROLE_THEME_SLOTS.items() for slot in slots}
    by_slot["accent6"] = mix(colors.primary, WHITE, 0.5)
    return {slot: by_slot[slot] for slot in THEME_SLOT_LABELS}


def role_colors(colors: dict[str, str | None]) -> dict[str, str]:
    """Colours by role with the derived ones (muted, positive, negative) filled in as the theme gets them."""
    given = {k: v.lstrip("#").upper() for k, v in colors.items() if v}
    given.setdefault("text", DEFAULT_TEXT)
    given.setdefault("background", WHITE)
    scheme = theme_colors(BrandColors(**given))
    return {role: scheme[role_slot(role)] for role in ROLES}


__all__ = [
    "THEME_SLOT_LABELS",
    "ROLE_THEME_SLOTS",
    "ROLES",
    "DEFAULT_TEXT",
    "STATUS_COLORS",
    "slot_label",
    "role_slot",
    "role_slot_labels",
    "theme_colors",
    "role_colors",
]
