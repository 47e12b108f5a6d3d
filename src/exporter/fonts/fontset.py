"""Font roles: the face of each role of a profile, the fallback chain, and runs of text by face."""

from __future__ import annotations

from functools import lru_cache

from exporter import diagnostics
from exporter.errors import FontError
from exporter.fonts.chars import is_ignorable
from exporter.fonts.choice import BOLD, REGULAR, Choice, choose
from exporter.fonts.files import BUNDLED, Face, FontFile, bundled_file
from exporter.fonts.system import installed, system_faces
from exporter.fonts.traits import variant_of
from exporter.model import Block, Heading, Metadata, Subtitle, Title
from exporter.options import ROLES, RoleSpec, WriteOptions

_warned_substitutions: set[tuple[str, str]] = set()


class FontSet:
    """The faces for every role of a profile, plus the fallback chain.

    ``options.fonts`` overrides a role (``body``) or adds a fallback (``fallback``); a role the
    user sets also sets the roles of the same family and bundled face that the user left alone
    (gongwen: a FangSong for ``body`` also sets headings 3 and 4, GB/T 9704 §7.3.3).
    Fallback chain, in order: the other bundled faces, ``options.fallback_fonts``, then system
    fonts found by fontconfig (``options.system_fonts``).
    A folder spec gives, for each role, the face made for ``language`` (SC or TC) at the role's
    weight (:func:`choice.choose_in_folder`).
    """

    def __init__(self, options: WriteOptions, language: str = Metadata().language) -> None:
        self.options = options
        self.profile = options.profile
        self.language = language
        self.choices: dict[str, Choice] = {}
        unknown = sorted(set(options.fonts) - set(ROLES) - {"fallback"})
        if unknown:
            raise FontError(f"unknown font role {unknown[0]!r} (roles: {', '.join(ROLES)})")
        self._faces: dict[str, Face] = {}
        roles = self.profile.roles
        for role, spec in roles.items():
            source = role if role in options.fonts else None
            if source is None:
                source = next(
                    (
                        r
                        for r in ROLES
                        if r in options.fonts
                        and r in roles
                        and roles[r].families == spec.families
                        and roles[r].bundled == spec.bundled
                    ),
                    None,
                )
            if source is not None:
                choice = choose(
                    options.fonts[source], language, _weight(spec), role == "latin", spec.families
                )
                self.choices[role] = choice
                self._faces[role] = _face(choice.file, "")
            elif (found := self._installed(spec, language)) is not None:
                self.choices[role] = found
                self._faces[role] = _face(found.file, "")
            else:
                self._faces[role] = _face(bundled_file(spec.bundled), spec.bundled)
                note = self.profile.substitutions.get(role)
                if note and (self.profile.name, role) not in _warned_substitutions:
                    _warned_substitutions.add((self.profile.name, role))
                    diagnostics.warn(
                        "font-substitution",
                        f"{self.profile.name} profile, {role}: {note}",
                        role=role,
                        profile=self.profile.name,
                    )
        chain: list[Face] = [_face(bundled_file(key), key) for key in BUNDLED]
        user = list(options.fallback_fonts)
        if "fallback" in options.fonts:
            user.append(options.fonts["fallback"])
        chain += [_face(choose(spec, language).file, "") for spec in user]
        self.fallbacks: tuple[Face, ...] = tuple(dict.fromkeys(chain))
        self._known = {str(f.file) for f in (*self.fallbacks, *self._faces.values())}
        self._fallback_cache: dict[int, Face | None] = {}

    def _installed(self, spec: RoleSpec, language: str) -> Choice | None:
        """The installed face the role names (``RoleSpec.installed``), when system fonts are on
        and one is there and usable (outlines, not bitmaps)."""
        if not spec.installed or not self.options.system_fonts:
            return None
        weight = _weight(spec)
        found = installed(spec.installed, weight == BOLD)
        if found is None:
            return None
        try:
            _face(found.file, "")
        except FontError:
            return None
        return Choice(
            found.file,
            wanted=variant_of(language),
            weight=weight,
            installed=found.name,
            installed_via=found.via,
        )

    def face(self, role: str) -> Face:
        return self._faces[role]

    def backup(self, role: str) -> Face | None:
        """The face that draws what a role's face lacks before the fallback chain: the body
        face for code (a Latin monospaced face; Han text in code is set as the text around it)."""
        return self._faces["body"] if role == "code" else None

    def families(self, role: str) -> tuple[str, ...]:
        return self.profile.roles[role].families

    def fallback_for(self, cp: int) -> Face | None:
        """The first face of the fallback chain that maps ``cp`` (None: no font covers it)."""
        try:
            return self._fallback_cache[cp]
        except KeyError:
            pass
        found = next((f for f in self.fallbacks if cp in f.codepoints), None)
        if found is None and self.options.system_fonts:
            for sys_face in system_faces():
                if sys_face.has(cp) and str(sys_face.file) not in self._known:
                    try:
                        face = _face(sys_face.file, "")
                    except FontError:
                        continue
                    if cp in face.codepoints:
                        found = face
                        break
        self._fallback_cache[cp] = found
        return found

    def runs(self, text: str, role: str) -> list[tuple[Face | None, str]]:
        """Split text into maximal runs by the face that draws each character (None: no face).

        Ignorable characters (spaces, joiners, variation selectors) stay in the current run.
        """
        primary = self._faces[role]
        cps = primary.drawn
        backup = self.backup(role)
        out: list[tuple[Face | None, str]] = []
        current: Face | None = primary
        start = 0
        for i, ch in enumerate(text):
            cp = ord(ch)
            if cp in cps:
                face: Face | None = primary
            elif is_ignorable(ch):
                continue
            elif backup is not None and cp in backup.drawn:
                face = backup
            else:
                face = self.fallback_for(cp)
            if face is not current:
                if i > start:
                    out.append((current, text[start:i]))
                current, start = face, i
        if start < len(text):
            out.append((current, text[start:]))
        return out


def _weight(spec: RoleSpec) -> int:
    """The weight a role's face should have: bold for a bold role or one whose bundled face is
    the bold Song (the gongwen title's 小标宋 is a heavy face, GB/T 9704 §7.3.1)."""
    return BOLD if spec.bold or spec.bundled.endswith("-bold") else REGULAR


@lru_cache(maxsize=64)
def _face(file: FontFile, key: str) -> Face:
    return Face(file, key)


_fontsets: dict[tuple[str, int, str], FontSet] = {}


def fontset_for(options: WriteOptions, language: str = Metadata().language) -> FontSet:
    """The FontSet for these options and a document language (the BCP 47 tag of its
    ``meta.language``; only a folder spec depends on it). Cached per process by the variant."""
    key = (options.fingerprint(), id(options.profile), variant_of(language))
    fontset = _fontsets.get(key)
    if fontset is None or fontset.profile is not options.profile:
        fontset = _fontsets[key] = FontSet(options, language)
    return fontset


def role_of(block: Block) -> str:
    """The font role a block's main text is set in."""
    if isinstance(block, Title):
        return "title"
    if isinstance(block, Subtitle):
        return "subtitle"
    if isinstance(block, Heading):
        return f"heading{min(block.level, 4)}"
    return "body"
