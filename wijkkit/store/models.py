"""Tables of the store. Story texts here are always the pseudonymised ones."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Import(Base):
    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron: Mapped[str] = mapped_column(String(500))
    aantal: Mapped[int] = mapped_column(Integer)
    door: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Story(Base):
    __tablename__ = "stories"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    tekst: Mapped[str] = mapped_column(Text)
    datum: Mapped[date | None] = mapped_column(Date, nullable=True)
    gebied: Mapped[str] = mapped_column(String(20), index=True)
    methode: Mapped[str] = mapped_column(String(40))
    verteller_rol: Mapped[str] = mapped_column(String(40))
    verzamelaar: Mapped[str] = mapped_column(String(200), default="")
    taal: Mapped[str] = mapped_column(String(10), default="nl")
    toestemming: Mapped[str] = mapped_column(String(20))
    bron: Mapped[str] = mapped_column(String(500), default="")
    privacy: Mapped[dict] = mapped_column(JSON, default=dict)  # counts per pseudonymised category
    kenmerken: Mapped[dict] = mapped_column(JSON, default=dict)  # further metadata, e.g. from another QDA tool
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    segments: Mapped[list["Segment"]] = relationship(back_populates="story", cascade="all, delete-orphan",
                                                     order_by="Segment.nr")


class Segment(Base):
    """A sentence of a story, with code-point offsets into the pseudonymised text."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("story_id", "nr"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    nr: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    tekst: Mapped[str] = mapped_column(Text)
    story: Mapped[Story] = relationship(back_populates="segments")


class CodebookVersion(Base):
    __tablename__ = "codebook_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    inhoud: Mapped[str] = mapped_column(Text)  # the validated codebook as JSON
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Coding(Base):
    """One code on a story or segment: a suggestion, or a coder's decision."""

    __tablename__ = "codings"
    __table_args__ = (Index("ix_codings_story_theme", "story_id", "thema"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"), nullable=True)
    thema: Mapped[str] = mapped_column(String(80))
    valentie: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(20))  # suggested / accepted / rejected / manual
    codeur: Mapped[str] = mapped_column(String(200))
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bewijs: Mapped[str] = mapped_column(Text, default="")  # evidence span text
    term: Mapped[str] = mapped_column(String(200), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    # a suggestion's calibrated probability that a coder codes the theme here, and that its valence is right
    # (wijkkit.vertellen.zekerheid); None where the suggestions carry none (rules alone, a project's own codebook)
    zekerheid: Mapped[float | None] = mapped_column(Float, nullable=True)
    valentie_zekerheid: Mapped[float | None] = mapped_column(Float, nullable=True)
    codebook_version_id: Mapped[int | None] = mapped_column(ForeignKey("codebook_versions.id"), nullable=True)
    # the tagger suggestion a coder accepted or rejected (decisions are appended, the newest counts)
    suggestie_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Memo(Base):
    __tablename__ = "memos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), nullable=True)
    thema: Mapped[str | None] = mapped_column(String(80), nullable=True)
    codeur: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str] = mapped_column(Text)
    titel: Mapped[str] = mapped_column(String(300), default="")  # a note's name in another QDA tool
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Original(Base):
    """The original story text, encrypted; only kept when the project enables it and consent allows."""

    __tablename__ = "originals"
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    versleuteld: Mapped[bytes] = mapped_column(LargeBinary)


class Toewijzing(Base):
    """A story assigned to a coder (e.g. a second coder's sample for agreement)."""

    __tablename__ = "toewijzingen"
    __table_args__ = (UniqueConstraint("story_id", "codeur"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    codeur: Mapped[str] = mapped_column(String(200), index=True)
    door: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Afgerond(Base):
    """A coder has finished a story: only finished stories count for agreement, and blind mode lifts."""

    __tablename__ = "afgerond"
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    codeur: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Duiding(Base):
    """What a kenniskring made of the figures and stories of one gebied and theme (warme duiding)."""

    __tablename__ = "duidingen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebied: Mapped[str] = mapped_column(String(20), index=True)
    thema: Mapped[str] = mapped_column(String(80))
    datum: Mapped[date] = mapped_column(Date)
    wat_zien_we: Mapped[str] = mapped_column(Text, default="")
    verklaring: Mapped[str] = mapped_column(Text, default="")
    wat_willen_we: Mapped[str] = mapped_column(Text, default="")
    aanwezigen: Mapped[dict] = mapped_column(JSON, default=dict)  # role -> number of people present
    ingevoerd_door: Mapped[str] = mapped_column(String(200), default="")
    bijeenkomst_id: Mapped[int | None] = mapped_column(ForeignKey("bijeenkomsten.id", ondelete="SET NULL"),
                                                       nullable=True, index=True)
    # "licht": pseudonymised by patterns and name lists only; "volledig": also by deduce
    pseudo_niveau: Mapped[str] = mapped_column(String(10), default="licht", server_default="licht")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Bijeenkomst(Base):
    """One evening of a kenniskring in a room (``wijkkit kenniskring dashboard --zaal``): what was looked at,
    what was written, which priorities were set."""

    __tablename__ = "bijeenkomsten"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    titel: Mapped[str] = mapped_column(String(200), default="")
    gestart: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gestopt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Prioriteit(Base):
    """A participant's mark "verdient aandacht" on one gebied and theme, with one sentence why (agenderen)."""

    __tablename__ = "prioriteiten"
    __table_args__ = (UniqueConstraint("bijeenkomst_id", "deelnemer", "gebied", "thema"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bijeenkomst_id: Mapped[int | None] = mapped_column(ForeignKey("bijeenkomsten.id", ondelete="CASCADE"),
                                                       nullable=True, index=True)
    deelnemer: Mapped[str] = mapped_column(String(64))  # a random id per page: counts, never a person
    gebied: Mapped[str] = mapped_column(String(20))
    thema: Mapped[str] = mapped_column(String(80))
    zin: Mapped[str] = mapped_column(Text, default="")
    pseudo_niveau: Mapped[str] = mapped_column(String(10), default="licht", server_default="licht")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Bekeken(Base):
    """How often a gebied and theme were opened during a bijeenkomst (for the record of the evening)."""

    __tablename__ = "bekeken"
    bijeenkomst_id: Mapped[int] = mapped_column(ForeignKey("bijeenkomsten.id", ondelete="CASCADE"), primary_key=True)
    gebied: Mapped[str] = mapped_column(String(20), primary_key=True)
    thema: Mapped[str] = mapped_column(String(80), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)


class Schouwpunt(Base):
    """One submission of a straatschouw: where, when, the CROW level per onderdeel, and a remark (pseudonymised).

    ``foto`` is the photo's path inside the project (``schouw/fotos``); ``toestemming`` says whether the remark
    and the photo may be shown on public pages. The id is the tool's own (ODK's KEY, KoBo's _uuid), so an
    export made again later adds only what is new.
    """

    __tablename__ = "schouwpunten"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    datum: Mapped[date] = mapped_column(Date)
    gebied: Mapped[str] = mapped_column(String(20), index=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    rol: Mapped[str] = mapped_column(String(40), default="")
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # onderdeel -> A+ / A / B / C / D
    opmerking: Mapped[str] = mapped_column(Text, default="")
    thema: Mapped[str] = mapped_column(String(80), default="")
    foto: Mapped[str] = mapped_column(String(300), default="")
    toestemming: Mapped[bool] = mapped_column(Boolean, default=False)
    bron: Mapped[str] = mapped_column(String(500), default="")  # the export's file name and tool
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Geschiedenis(Base):
    """What a team member changed or deleted (``oud`` is the row before, ``nieuw`` after), and what a member tried
    on a colleague's row and was refused (``actie`` starts with "geweigerd"). Written by PostgreSQL triggers on a
    team server (wijkkit.server.rollen), never by a program; nobody may change or delete it."""

    __tablename__ = "geschiedenis"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tabel: Mapped[str] = mapped_column(String(80), index=True)
    actie: Mapped[str] = mapped_column(String(40))  # wijziging / verwijdering / geweigerd: wijziging / ...
    door: Mapped[str] = mapped_column(String(200))
    oud: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    nieuw: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
