"""The scenario file format (``parley-scenario/1``), as pydantic models.

These models are the document: what a person writes in TOML and what ``save`` writes back.
Field-level rules (types, ranges, required fields per kind) live here; rules that relate
fields to each other (an option named in a value table must exist, ...) live in
``parley.scenario.validate``. ``docs/scenario-format.md`` describes the format for people.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parley.outcomes import MOST

FORMAT: Final = "parley-scenario/1"

Role = Literal["principal", "mediator", "third-party", "spoiler", "adviser"]
IssueType = Literal["discrete", "integer", "real"]
ProtocolKind = Annotated[str, Field(min_length=1)]
"""A protocol's registered name (``parley.engine.protocols``), checked when talks are set up."""
EventKind = Literal[
    "phase", "note", "shift-reservation", "table-draft", "move-deadline", "cancel", "restrain"
]
Agenda = Literal["substantive", "procedural"]
"""Substantive issues are what a deal is about; procedural ones are about the talks themselves
(whether and when they continue, their format, their scope)."""
StepKind = Literal["caucus", "carry", "consult", "joint"]
AtDeadline = Literal["end", "adjourn"]
Basis = Literal["FACT", "REPORTED", "ASSUMPTION"]
Grade = Literal["official", "wire", "major", "partisan", "unverified"]
"""How reliable a source is, strongest first (docs/scenario-format.md, "Sources"): a
government's or organisation's own statement or document; a wire agency; a major outlet with
editorial standards; an outlet with a declared side (or a state outlet's opinion pages); a
content farm, aggregator, blog, listserv or unknown site."""
Scalar = str | int | float
Param = str | int | float | bool
NUMBER_LIMIT: Final = 1e9
"""Bound on every number of a profile or an issue range (weights, values, utilities, reservation,
bounds): utilities then stay finite whatever is summed, multiplied or compared (a value of
1e308 made comparisons overflow). Real GENIUS and GeniusWeb files stay below 1e5."""
Number = Annotated[float, Field(ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0.0, le=NUMBER_LIMIT, allow_inf_nan=False)]


class Doc(BaseModel):
    """Base: unknown keys are errors (a misspelled key must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
"""A BCP 47 language tag as the room's pages use it: "zh", "fa", "zh-Hant"."""
Labels = dict[LanguageTag, Annotated[str, Field(min_length=1, max_length=500)]]
"""The same words in other languages: ``labels = { zh = "伊朗" }`` (the default label is the
scenario's own; a language without an entry shows it)."""


class OptionDoc(Doc):
    id: Annotated[str, Field(min_length=1)]
    label: str
    short: Annotated[str, Field(max_length=32)] = ""
    """A few words for transcripts (``label`` when empty), e.g. "3-year pause"."""
    labels: Labels | None = None
    """``label`` in other languages."""
    shorts: Labels | None = None
    """``short`` in other languages."""
    description: str = ""
    source: str = ""
    basis: Basis | None = None


class IssueDoc(Doc):
    id: Annotated[str, Field(min_length=1)]
    name: str
    labels: Labels | None = None
    """``name`` in other languages."""
    type: IssueType = "discrete"
    agenda: Agenda = "substantive"
    description: str = ""
    options: tuple[OptionDoc, ...] = ()
    min: Number | None = None
    max: Number | None = None
    steps: Annotated[int, Field(ge=1, le=100_000)] | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> IssueDoc:
        if self.type == "discrete":
            if not self.options:
                raise ValueError("a discrete issue needs at least one option")
            if self.min is not None or self.max is not None or self.steps is not None:
                raise ValueError("min, max and steps belong to integer and real issues")
            return self
        if self.options:
            raise ValueError(f"a {self.type} issue takes min and max, not options")
        if self.min is None or self.max is None:
            raise ValueError(f"a {self.type} issue needs both min and max")
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g})")
        if self.type == "integer":
            if not (float(self.min).is_integer() and float(self.max).is_integer()):
                raise ValueError("an integer issue needs whole-number min and max")
            if self.steps is not None:
                raise ValueError("steps belongs to real issues")
        return self


class FunctionDoc(Doc):
    """A GENIUS-style evaluation function of a numeric issue's value x.

    - ``linear``: u = offset + slope * (x - origin), clamped to [0, 1] (GENIUS integer and real
      linear evaluators: integer ones measure x from the issue's lower bound, real ones from 0);
    - ``triangular``: 0 below ``low``, rising to 1 at ``top``, falling to 0 at ``high`` (and 0
      from ``high`` on), as GENIUS 10.4's ``evalTriangular``;
    - ``constant``: u = ``value`` everywhere.
    """

    kind: Literal["linear", "triangular", "constant"]
    offset: Number = 0.0
    slope: Number = 0.0
    origin: Number = 0.0
    low: Number | None = None
    high: Number | None = None
    top: Number | None = None
    value: Number | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> FunctionDoc:
        needs = {"triangular": ("low", "high", "top"), "constant": ("value",)}.get(self.kind, ())
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} function needs {' and '.join(missing)}")
        return self


class IssuePreferenceDoc(Doc):
    """One issue in a linear-additive profile: its weight and what each option is worth."""

    weight: Weight
    values: dict[str, Number] | None = None
    points: tuple[tuple[Number, Number], ...] | None = None
    function: FunctionDoc | None = None
    rationale: str = ""

    @model_validator(mode="after")
    def _one_table(self) -> IssuePreferenceDoc:
        if self.function is not None:
            if self.values is not None or self.points is not None:
                raise ValueError("give one of values, points or function")
            return self
        if (self.values is None) == (self.points is None):
            raise ValueError("give either values (discrete issues) or points (integer/real issues)")
        if self.points is not None and len(self.points) < 1:
            raise ValueError("points needs at least one [value, utility] pair")
        return self


class CombinationDoc(Doc):
    """Options taken together: a package takes the combination when, on every issue listed in
    ``when``, it takes one of the listed values."""

    what: ClassVar[str] = "combination"
    description: str
    when: dict[str, tuple[Scalar, ...]]
    source: str = ""

    @model_validator(mode="after")
    def _not_empty(self) -> CombinationDoc:
        if not self.when or any(not options for options in self.when.values()):
            raise ValueError(f"a {self.what} names at least one issue and one option on each")
        return self


class RedLineDoc(CombinationDoc):
    """A combination one party will never accept."""

    what: ClassVar[str] = "red line"
    basis: Basis | None = None


class ConstraintDoc(CombinationDoc):
    """A combination no package can take, whoever signs it: impossible or meaningless;
    ``description`` says why, ``basis`` how firm that is."""

    what: ClassVar[str] = "constraint"
    description: Annotated[str, Field(min_length=1)]
    basis: Basis


class RectangleDoc(Doc):
    """A hyper-rectangle of a nonlinear profile (GENIUS ``hyperRectangle``).

    ``bounds`` maps issue ids to inclusive ``[min, max]`` value ranges. An inclusive rectangle
    (``exclude = false``) is worth ``utility * weight`` when every bound holds (always, with no
    bounds); an exclusive one when some bound is violated.
    """

    utility: Number
    weight: Number = 1.0
    exclude: bool = False
    bounds: dict[str, tuple[Number, Number]] = {}


class UfunDoc(Doc):
    """A node of a nonlinear profile (GENIUS ``ufun``): its rectangles and nested nodes (each
    multiplied by its own ``weight``) combined by ``aggregation``."""

    aggregation: Literal["sum", "min", "max"] = "sum"
    weight: Number = 1.0
    rectangles: tuple[RectangleDoc, ...] = ()
    ufuns: tuple[UfunDoc, ...] = ()


class PreferencesDoc(Doc):
    """A principal's profile.

    ``linear-additive`` (the default) gives ``issues``; ``hyper-rectangles`` gives ``ufun`` and
    ``max_utility`` (utility = min(1, ufun / max_utility), as GENIUS's nonlinear spaces).
    ``ceiling`` caps a linear-additive utility (GENIUS caps additive utilities at 1).
    ``reservation_outcome``, when given, makes the reservation value that outcome's utility
    (GeniusWeb's reservation bid).
    """

    kind: Literal["linear-additive", "hyper-rectangles"] = "linear-additive"
    issues: dict[str, IssuePreferenceDoc] = {}
    ufun: UfunDoc | None = None
    max_utility: Annotated[float, Field(gt=0.0, le=NUMBER_LIMIT)] | None = None
    ceiling: Number | None = None
    reservation: Number = 0.0
    reservation_outcome: dict[str, Scalar] | None = None
    reservation_rationale: str = ""
    discount: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0
    red_lines: tuple[RedLineDoc, ...] = ()

    @model_validator(mode="after")
    def _fits_kind(self) -> PreferencesDoc:
        if self.kind == "hyper-rectangles":
            if self.ufun is None or self.max_utility is None:
                raise ValueError("a hyper-rectangles profile needs ufun and max_utility")
            if self.issues or self.ceiling is not None:
                raise ValueError("issues and ceiling belong to linear-additive profiles")
        elif self.ufun is not None or self.max_utility is not None:
            raise ValueError("ufun and max_utility belong to hyper-rectangles profiles")
        if self.reservation_outcome is not None and self.reservation != 0.0:
            raise ValueError("give reservation or reservation_outcome, not both")
        return self


class MemberDoc(Doc):
    name: str
    title: str = ""


class PartyDoc(Doc):
    name: Annotated[str, Field(min_length=1)]
    role: Role
    labels: Labels | None = None
    """How the party is called in other languages (``name`` stays its id everywhere)."""
    description: str = ""
    delegation: tuple[MemberDoc, ...] = ()
    source: str = ""
    """Where the description comes from (URLs, separated by ` ; `), as for options."""
    basis: Basis | None = None
    preferences: PreferencesDoc | None = None
    advises: str | None = None
    """For an adviser: the principal whose delegation it sits in (its words reach only it)."""


class StrategyDoc(Doc):
    name: str
    params: dict[str, Param] = {}


class EscalationDoc(Doc):
    """When shuttle talks turn direct."""

    gap_below: Annotated[float, Field(ge=0.0)] | None = None
    after_round: Annotated[int, Field(ge=1)] | None = None


class StepDoc(Doc):
    """One step of a scripted shuttle (docs/scenario-format.md, "The shuttle's script").

    - ``caucus``: the mediator meets ``party`` alone and hears its position;
    - ``carry``: the mediator carries ``party``'s standing position to ``to``, who reviews it;
    - ``consult``: ``party`` and the mediator confer in private (the mediator may float an
      idea; the delegation answers it or restates its position);
    - ``joint``: every delegation in one room, the mediator chairing, each speaking once.
    """

    kind: StepKind
    party: str | None = None
    to: str | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> StepDoc:
        if self.kind == "joint":
            if self.party is not None or self.to is not None:
                raise ValueError("a joint step takes neither party nor to")
        elif self.party is None:
            raise ValueError(f"a {self.kind} step needs party")
        elif (self.kind == "carry") != (self.to is not None):
            raise ValueError("a carry step needs to (whom it is carried to); no other step does")
        if self.to is not None and self.to == self.party:
            raise ValueError(f"a carry step carries a position to another party, not {self.to!r}")
        return self


class PhaseDoc(Doc):
    """One scripted phase: a round of the shuttle made of the steps listed, in order."""

    title: Annotated[str, Field(min_length=1)]
    steps: Annotated[tuple[StepDoc, ...], Field(min_length=1, max_length=1000)]
    description: str = ""
    source: str = ""
    basis: Basis | None = None


class ProtocolDoc(Doc):
    kind: ProtocolKind = "direct"
    rounds: Annotated[int, Field(ge=1, le=100_000)] = 20
    mediator: str | None = None
    mediator_strategy: StrategyDoc | str = "relay"
    strategies: dict[str, StrategyDoc | str] = {}
    default_strategy: StrategyDoc | str = "boulware"
    order: tuple[str, ...] = ()
    escalation: EscalationDoc | None = None
    script: Annotated[tuple[PhaseDoc, ...], Field(max_length=100_000)] = ()
    """The shuttle's phases, one round each, before the default cycle of caucuses resumes."""
    opening: dict[str, dict[str, Scalar]] = {}
    """Standing positions at the opening (principal -> a package, issue id -> option): what
    each principal last put forward in an earlier session; the talks start from them."""
    horizon: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    """Rounds the principals expect the whole negotiation to take, across sessions: time-based
    strategies pace their concessions over it (default: this session's rounds)."""
    elapsed: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """Rounds already held in earlier sessions of the same talks (a track writes it)."""
    briefings: bool = False
    """Mediated talks: the mediator tells the press, at every round's opening after the first,
    on which issues the positions meet (public; a spoiler may act on it)."""
    at_deadline: AtDeadline = "end"
    """What a deadline without a deal means: the talks end, or the principals are asked to
    adjourn (keep talking another day, with the issues agreed so far)."""
    questions: Annotated[int, Field(ge=0, le=100)] = 0
    """Shuttle talks: how many what-if questions the mediator may ask a delegation after each
    of its answers in a caucus (0: none)."""


class EventDoc(Doc):
    kind: EventKind
    title: str
    description: str = ""
    date: str | None = None
    round: Annotated[int, Field(ge=0)] | None = None
    probability: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    party: str | None = None
    by: str | None = None
    """For ``restrain``: the ally that asks ``party`` (a spoiler) to hold off."""
    delta: Number | None = None
    rounds: int | None = None
    draft: dict[str, Scalar] | None = None
    source: str = ""
    basis: Basis | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> EventDoc:
        needs: dict[str, tuple[str, ...]] = {
            "shift-reservation": ("party", "delta"),
            "table-draft": ("party", "draft"),
            "move-deadline": ("rounds",),
            "restrain": ("party", "by"),
        }
        missing = [name for name in needs.get(self.kind, ()) if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} event needs {' and '.join(missing)}")
        if self.round is not None and self.probability is not None:
            raise ValueError("give round (scheduled) or probability (random per round), not both")
        return self


class DistributionDoc(Doc):
    """How an uncertain number is drawn in a forecast (``[uncertainty]``).

    - ``uniform``: evenly between ``low`` and ``high``;
    - ``normal``: ``mean`` and ``sd``, clipped to ``[low, high]`` (both required);
    - ``triangular``: from ``low`` rising to ``mode`` and falling to ``high``;
    - ``choice``: one of ``values`` with the matching ``probabilities`` (summing to 1).
    """

    kind: Literal["uniform", "normal", "triangular", "choice"]
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = None
    mean: Number | None = None
    sd: Annotated[float, Field(ge=0.0, le=NUMBER_LIMIT)] | None = None
    values: tuple[Number, ...] | None = None
    probabilities: tuple[Annotated[float, Field(ge=0.0, le=1.0)], ...] | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> DistributionDoc:
        needs = {
            "uniform": ("low", "high"),
            "normal": ("mean", "sd", "low", "high"),
            "triangular": ("low", "mode", "high"),
            "choice": ("values", "probabilities"),
        }[self.kind]
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} distribution needs {' and '.join(missing)}")
        extra = [
            name
            for name in ("low", "high", "mode", "mean", "sd", "values", "probabilities")
            if name not in needs and getattr(self, name) is not None
        ]
        if extra:
            raise ValueError(f"{' and '.join(extra)} do not belong to a {self.kind} distribution")
        if self.kind == "choice":
            return self._fits_choice()
        assert self.low is not None  # required above for every other kind
        assert self.high is not None
        if self.high < self.low:
            raise ValueError(f"high ({self.high:g}) is below low ({self.low:g})")
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode:g}) is outside [{self.low:g}, {self.high:g}]")
        return self

    def _fits_choice(self) -> DistributionDoc:
        assert self.values is not None  # required for a choice
        assert self.probabilities is not None
        if not self.values or len(self.values) != len(self.probabilities):
            raise ValueError(
                f"values ({len(self.values)}) and probabilities ({len(self.probabilities)}) "
                "need the same, non-zero length"
            )
        total = sum(self.probabilities)
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"probabilities sum to {total:g}, not 1")
        return self

    def support(self) -> tuple[float, float]:
        """The smallest and largest value a draw can take."""
        if self.values is not None:
            return min(self.values), max(self.values)
        assert self.low is not None  # guaranteed by _fits_kind
        assert self.high is not None
        return self.low, self.high


Uncertain = DistributionDoc | float
"""A number in ``[uncertainty]``: a distribution, or a plain number (fixed)."""


class UncertainDoc(Doc):
    """What every uncertainty declaration carries besides its target: where it comes from."""

    source: str = ""
    basis: Basis | None = None
    rationale: str = ""


class UncertainWeightDoc(UncertainDoc):
    party: str
    issue: str
    distribution: DistributionDoc


class UncertainValueDoc(UncertainDoc):
    party: str
    issue: str
    option: Scalar
    distribution: DistributionDoc


class UncertainReservationDoc(UncertainDoc):
    party: str
    distribution: DistributionDoc


class SoftRedLineDoc(UncertainDoc):
    """A red line that may not hold: it binds in a run with probability ``holds``."""

    party: str
    red_line: Annotated[int, Field(ge=0)]
    holds: Annotated[float, Field(ge=0.0, le=1.0)]


class UncertainEventDoc(UncertainDoc):
    """An outside event a forecast draws.

    Either ``timeline`` names (by title) a random event of the timeline and ``probability``
    replaces its per-round probability in each run; or ``event`` is an event of its own that
    may happen ``per = "round"`` (like a random timeline event) or ``per = "session"`` (at most
    once a run: at the event's ``round``, or at a round drawn evenly over the deadline).
    """

    timeline: str | None = None
    event: EventDoc | None = None
    per: Literal["round", "session"] = "round"
    probability: Uncertain

    @model_validator(mode="after")
    def _one_event(self) -> UncertainEventDoc:
        if (self.timeline is None) == (self.event is None):
            raise ValueError("give either timeline (a timeline event's title) or event (a table)")
        if self.event is not None and self.event.probability is not None:
            raise ValueError("the event's own probability is not used; give it here instead")
        if self.event is not None and self.per == "round" and self.event.round is not None:
            raise ValueError("a per-round event takes no round (give per = 'session')")
        if self.timeline is not None and self.per != "round":
            raise ValueError("a timeline event's probability is per round; per must be 'round'")
        if isinstance(self.probability, float) and not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability {self.probability:g} is outside [0, 1]")
        return self


class UncertaintyDoc(Doc):
    """What a forecast may draw differently in each run (see docs/forecast.md)."""

    description: str = ""
    normalize_weights: bool = True
    weights: tuple[UncertainWeightDoc, ...] = ()
    values: tuple[UncertainValueDoc, ...] = ()
    reservations: tuple[UncertainReservationDoc, ...] = ()
    red_lines: tuple[SoftRedLineDoc, ...] = ()
    events: tuple[UncertainEventDoc, ...] = ()


TrackEnded = Literal["adjourned", "cancelled"]
"""How a recorded session of a track ended: held and adjourned (the talks went on), or
cancelled (it never took place)."""
BetweenKind = Literal["cancel", "collapse", "shift-reservation"]
"""What an event between two sessions of a track does: the next session does not take place
(the track goes on), the track ends, or a party's reservation value moves."""


class RecordedSessionDoc(Doc):
    """A session of the track held (or cancelled) before the modelled one: recorded history."""

    title: Annotated[str, Field(min_length=1)]
    ended: TrackEnded
    date: str | None = None
    description: str = ""
    source: str = ""
    basis: Basis | None = None


class PlannedSessionDoc(Doc):
    """A simulated session after the modelled one: what it is called and when it is set."""

    title: Annotated[str, Field(min_length=1)]
    date: str | None = None
    description: str = ""
    source: str = ""
    basis: Basis | None = None


class BetweenDoc(Doc):
    """An event that may happen between two sessions of a track, with ``probability`` per gap
    (drawn from the track's seeded stream)."""

    kind: BetweenKind
    title: Annotated[str, Field(min_length=1)]
    probability: Annotated[float, Field(ge=0.0, le=1.0)]
    party: str | None = None
    delta: Number | None = None
    description: str = ""
    source: str = ""
    basis: Basis | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> BetweenDoc:
        shifts = self.kind == "shift-reservation"
        if shifts and (self.party is None or self.delta is None):
            raise ValueError("a shift-reservation event needs party and delta")
        if not shifts and self.delta is not None:
            raise ValueError(f"delta belongs to shift-reservation events, not {self.kind}")
        return self


TRACK_HORIZON: Final = 3
"""Sessions a track simulates at most when nothing says otherwise (nor names more)."""


class TrackDoc(Doc):
    """The series of sessions the modelled one belongs to (docs/scenario-format.md, "Track"):
    the sessions held before it, the ones planned after it, and what may happen in between."""

    modelled: str = ""
    """What the modelled session (session 1 of the simulation) is called in the timeline;
    default: the scenario's title."""
    horizon: Annotated[int, Field(ge=1, le=1000)] | None = None
    """At most how many sessions are simulated, the modelled one included; default: the
    modelled one and every named one, and at least ``TRACK_HORIZON``."""
    history: tuple[RecordedSessionDoc, ...] = ()
    sessions: tuple[PlannedSessionDoc, ...] = ()
    between: tuple[BetweenDoc, ...] = ()

    @property
    def planned_horizon(self) -> int:
        return self.horizon or max(TRACK_HORIZON, 1 + len(self.sessions))


class SourceDoc(Doc):
    """One entry of the ``[[sources]]`` registry: a source's grade, declared once.

    Exactly one of ``url`` (that page, or every page whose address starts with it), ``host``
    (every page on that host or its subdomains; ``www.`` ignored) or ``document`` (a citation
    that is not a web page, matched wherever a ``source`` field contains this text).
    """

    url: Annotated[str, Field(pattern=r"^https?://[^\s]+$")] | None = None
    host: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")] | None = None
    document: Annotated[str, Field(min_length=3)] | None = None
    grade: Grade
    publisher: Annotated[str, Field(min_length=1)]
    note: str = ""

    @model_validator(mode="after")
    def _one_key(self) -> SourceDoc:
        given = [k for k in ("url", "host", "document") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of url, host or document (got {len(given)})")
        return self


class ScenarioDoc(Doc):
    format: Literal["parley-scenario/1"] = FORMAT
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    title: str
    labels: Labels | None = None
    """``title`` in other languages."""
    description: str = ""
    date: str | None = None
    notes: str = ""
    issues: Annotated[tuple[IssueDoc, ...], Field(min_length=1)]
    constraints: Annotated[tuple[ConstraintDoc, ...], Field(max_length=MOST)] = ()
    """Combinations of options no package can take (shared by everyone, unlike red lines)."""
    parties: Annotated[tuple[PartyDoc, ...], Field(min_length=1)]
    protocol: ProtocolDoc = ProtocolDoc()
    timeline: tuple[EventDoc, ...] = ()
    uncertainty: UncertaintyDoc | None = None
    track: TrackDoc | None = None
    sources: tuple[SourceDoc, ...] = ()
    """The graded sources (``[[sources]]``): with any, every URL a ``source`` field cites must
    match one (``parley.scenario.sources``)."""
