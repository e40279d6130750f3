"""The jobs behind ``deckgen build``, ``demo`` and ``init``: load, build, write, and say what happened.

Each job takes plain arguments, returns a result the CLI prints, and raises a
:class:`~deckgen.errors.DeckgenError` for anything the user must fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.build import BuildOptions, DeckBuilder, brief_path, write_built
from deckgen.check_inputs import profile_advice, prospect_advice
from deckgen.errors import DeckgenError, DeckgenWarning, InputError, OutputError
from deckgen.load.files import read_profile, read_prospect
from deckgen.resources import bundled_dir, examples_dir


@dataclass
class WrittenDeck:
    """One deck on disk, with the verdict, the storyline and the line it carries.

    ``skipped`` is True when no customer deck was written (a walk-away with ``skip_walk_away``);
    ``brief`` is the seller brief beside it, None when briefs are off.
    """

    path: Path
    company: str
    fit: object
    closing: object
    warnings: list[DeckgenWarning] = field(default_factory=list)
    storyline: str = ""
    brief: Path | None = None
    skipped: bool = False

    @property
    def files(self) -> list[Path]:
        """The files written: the deck (unless skipped) and the brief (when made)."""
        return [p for p in ((None if self.skipped else self.path), self.brief) if p is not None]


@dataclass
class ExamplesResult:
    """What ``deckgen demo`` built."""

    msp: str
    template: str
    brand: str
    decks: list[WrittenDeck]
    warnings: list[DeckgenWarning] = field(default_factory=list)


def build_deck(
    profile: Path, prospect: Path, out: Path | None = None, options: BuildOptions | None = None
) -> WrittenDeck:
    """Build one deck for one prospect file and write it to ``out`` (default ``<prospect>.pptx``).

    The returned warnings are the loader's, the builder's and the deck's, in that order.
    """
    prof, warnings = read_profile(profile)
    pros, found = read_prospect(prospect)
    warnings += found + profile_advice(prof, str(profile)) + prospect_advice(pros, prof, str(prospect))
    target = out or Path(f"{prospect.stem}.pptx")
    if target.suffix.lower() != ".pptx":
        raise InputError("the deck's file name must end in .pptx", file=str(target))
    builder = DeckBuilder(prof, options or BuildOptions())  # refuses a template without slides
    try:
        deck = builder.build(pros)
    except InputError as exc:
        exc.locate({"profile": str(profile), "prospect": str(prospect)})  # the error knows which input it is about
        raise
    except DeckgenError as exc:  # a deck that cannot be drawn: what the loader warned about is the likely cause
        if warnings:
            exc.message += "".join(f"\n  (the files were read with a warning that may be why: {w})" for w in warnings)
        raise
    _make_folder(target.parent)  # the user's own --out: create it like batch creates its --out-dir
    write_built(target, deck)
    return WrittenDeck(
        target,
        pros.company,
        deck.fit,
        deck.closing,
        warnings + list(builder.warnings) + list(deck.warnings),
        deck.storyline,
        brief_path(target) if deck.brief is not None else None,
        deck.data is None,
    )


def build_examples(out_dir: Path, options: BuildOptions, on_start=None, on_deck=None) -> ExamplesResult:
    """Build the bundled example prospects into ``out_dir``.

    ``on_start(result)`` is called once the template is compiled (the result has no decks yet),
    ``on_deck(written)`` after each deck is written.
    """
    from deckgen.naming import NameAllocator  # (only the examples need unique names; one build names its own)

    prof, warnings = read_profile(examples_dir() / "profile.yaml")
    builder = DeckBuilder(prof, options)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = NameAllocator(out_dir)
    result = ExamplesResult(prof.msp.name, builder.compiled.name, builder.brand.kit.name, [], warnings)
    if on_start is not None:
        on_start(result)
    for path in sorted((examples_dir() / "prospects").glob("*.yaml")):
        prospect, found = read_prospect(path)
        warnings += found
        deck = builder.build(prospect)
        target, _ = names.allocate(path.stem)
        write_built(target, deck)
        written = WrittenDeck(
            target,
            prospect.company,
            deck.fit,
            deck.closing,
            list(deck.warnings),
            deck.storyline,
            brief_path(target) if deck.brief is not None else None,
            deck.data is None,
        )
        result.decks.append(written)
        warnings.extend(type(w)(str(w), file=target.name) for w in deck.warnings)  # same kind, named deck
        if on_deck is not None:
            on_deck(written)
    warnings.extend(builder.warnings)
    return result


def init_workspace(folder: Path, force: bool = False) -> list[DeckgenWarning]:
    """Copy the example profile, prospects and the ridgeline brand kit into ``folder`` for editing.

    With ``force`` an existing file that differs from the bundled one is kept as ``NAME.bak`` (or
    ``NAME.bak2`` …) before it is replaced; a symbolic link anywhere on the way is refused, never
    written through. Returns one warning per file backed up.
    """
    if folder.is_symlink():
        raise InputError("is a symbolic link; deckgen init writes only into a real folder", file=str(folder))
    if folder.exists() and any(folder.iterdir()) and not force:
        raise InputError("folder is not empty; choose a new folder or pass --force", file=str(folder))
    files = [(examples_dir() / "profile.yaml", Path("profile.yaml"))]
    files += [(p, Path("prospects") / p.name) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))]
    brand = bundled_dir("brand") / "ridgeline"
    files += [(p, Path("brand") / p.relative_to(brand)) for p in sorted(brand.rglob("*")) if p.is_file()]
    for _, rel in files:  # refuse before writing anything
        for part in [*reversed(rel.parents[:-1]), rel]:
            if (folder / part).is_symlink():
                raise InputError(
                    "is a symbolic link; deckgen init --force does not write through links (remove it first)",
                    file=str(folder / part),
                )
    folder.mkdir(parents=True, exist_ok=True)
    backups: list[DeckgenWarning] = []
    for src, rel in files:
        dst = folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists() and not dst.is_file():
            raise InputError("is in the way (not a file); move it and run deckgen init again", file=str(dst))
        if dst.exists() and dst.read_bytes() != src.read_bytes():
            backup = _free_backup_name(dst)
            dst.rename(backup)
            backups.append(InitWarning(f"kept your edited {rel} as {backup.name}", file=str(dst)))
        _copy_no_follow(src, dst)
    return backups


def _make_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents; a file in the way or no permission is an OutputError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise OutputError(
            f"is a file, so the output folder {folder} can't be created; choose another --out", file=str(blocker)
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", file=str(folder)) from None


class InitWarning(DeckgenWarning):
    """A file ``init --force`` moved aside before replacing it."""


def _free_backup_name(dst: Path) -> Path:
    for n in range(1, 1000):
        candidate = dst.with_name(dst.name + (".bak" if n == 1 else f".bak{n}"))
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise OutputError("too many backups already; tidy the folder and run deckgen init again", file=str(dst))


def _copy_no_follow(src: Path, dst: Path) -> None:
    """Copy ``src`` to a new file at ``dst`` (a link planted there meanwhile makes this fail, not follow)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(dst, flags, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=str(dst)) from None
    with os.fdopen(fd, "wb") as out:
        out.write(src.read_bytes())
