"""The API's request and response bodies (they are also its OpenAPI document).

Packages travel in the scenario file's own terms: ``{issue id: option id}`` for discrete
issues, the number itself for integer and real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parley.engine import Kind as MessageKind
from parley.engine.protocols import NAMES as PROTOCOLS
from parley.scenario import builtin_names
from parley.scenario.schema import EventKind, Number, Weight

Value = str | int | float
Package = dict[str, Value]
Status = Literal["waiting", "running", "paused", "ended"]
""""paused": by the facilitator; no seat acts, no built-in seat moves, until they resume."""
Kind = Literal["person", "strategy"]
Param = str | int | float | bool
Text = Annotated[str, Field(max_length=10_000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
SEED_MAX = 2**53 - 1
"""The largest seed: the largest whole number the OpenAPI document (whose bounds FastAPI writes
as floating-point numbers) and a browser's JSON both keep exact."""


def one_of(names: Callable[[], Iterable[str]]) -> Callable[[dict[str, Any]], None]:
    """A text field's JSON schema names its only accepted values, read when the document is
    written (the room refuses any other with a 422 listing them)."""

    def state(schema: dict[str, Any]) -> None:
        schema["enum"] = list(names())

    return state


BuiltIn = Annotated[
    str, Field(min_length=1, max_length=200, json_schema_extra=one_of(builtin_names))
]
ProtocolName = Annotated[
    str, Field(min_length=1, max_length=64, json_schema_extra=one_of(lambda: PROTOCOLS))
]
MessageKindName = Annotated[
    str, Field(max_length=50, json_schema_extra=one_of(lambda: (k.value for k in MessageKind)))
]


class In(BaseModel):
    """Request bodies: unknown keys are refused (a misspelt key must not pass silently)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Out(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)


class Error(Out):
    detail: str


# -- scenarios -------------------------------------------------------------------------------


class StrategyInfo(Out):
    """A strategy as a scenario names it for a seat: its registered name and parameters."""

    name: str
    params: dict[str, Param]


class PartyInfo(Out):
    name: str
    role: str
    advises: str | None = None
    """For an adviser: the principal whose delegation it sits in."""
    strategy: StrategyInfo | None = None
    """The strategy the scenario seats here (the start page offers it as it is, parameters
    included: a third party, a spoiler or an adviser sits in the room only when chosen)."""


class ScenarioInfo(Out):
    name: str
    title: str
    parties: list[PartyInfo]
    protocols: list[str]
    default_protocol: str


class ImportedScenario(Out):
    scenario_toml: str
    title: str
    parties: list[PartyInfo]


# -- sessions --------------------------------------------------------------------------------


class PersonSeat(In):
    """A seat held by a person, who receives a private link."""

    kind: Literal["person"]


class StrategySeat(In):
    """A seat held by a registered strategy, with its parameters (checked when the session is
    created: unknown names and parameters out of their ranges are 422)."""

    kind: Literal["strategy"]
    strategy: Name
    params: dict[Annotated[str, Field(max_length=100)], Param] = {}


SeatChoice = Annotated[PersonSeat | StrategySeat, Field(discriminator="kind")]


class SessionCreate(In):
    """Exactly one of ``scenario`` and ``scenario_toml`` (the schema's ``oneOf`` says so)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["scenario"], "properties": {"scenario": {"type": "string"}}},
                {
                    "required": ["scenario_toml"],
                    "properties": {"scenario_toml": {"type": "string"}},
                },
            ]
        }
    )

    scenario: BuiltIn | None = None
    """A built-in scenario's name."""
    scenario_toml: Annotated[str, Field(max_length=2_000_000)] | None = None
    """A scenario file's text: read as the scenario format says (a text that is not a valid
    scenario file is 422 naming ``scenario_toml``; no JSON schema can say which texts are)."""
    protocol: ProtocolName | None = None
    mediator: Name | None = None
    rounds: Annotated[int, Field(ge=1, le=1000)] | None = None
    seed: Annotated[int, Field(ge=0, le=SEED_MAX)] = 0
    confide: bool | None = None
    facilitator_profiles: Literal["after-end", "during"] = "after-end"
    """When the facilitator may see the principals' profiles (in the JSONL export): once the
    talks end (the default), or during them too."""
    seats: dict[Name, SeatChoice] = {}
    turn_seconds: Annotated[int, Field(ge=10, le=604_800)] | None = None
    """A turn timer: seconds a person's turn may take before the desk is alerted and the
    facilitator may have the seat's built-in strategy answer it (none by default)."""

    @model_validator(mode="after")
    def _one_scenario(self) -> SessionCreate:
        if (self.scenario is None) == (self.scenario_toml is None):
            raise ValueError("give exactly one of scenario (a built-in name) and scenario_toml")
        return self


class Link(Out):
    token: str
    link: str


class SeatLink(Out):
    party: str
    role: str
    kind: Kind
    strategy: str | None
    token: str | None
    link: str | None


class Created(Out):
    id: str
    facilitator: Link
    seats: list[SeatLink]


Translations = dict[str, str]
"""A scenario's words in other languages, by language tag (the page picks the seat's)."""


class OptionOut(Out):
    id: Value
    label: str
    short: str = ""
    labels: Translations = {}
    shorts: Translations = {}


class IssueOut(Out):
    name: str
    label: str
    labels: Translations = {}
    type: str
    options: list[OptionOut]


class SeatStatus(Out):
    party: str
    role: str
    kind: Kind
    strategy: str | None
    ready: bool
    connected: bool
    revoked: bool = False
    """A person's seat whose link the facilitator revoked (and has not re-issued)."""


class ResultOut(Out):
    ended: str
    reason: str
    agreement: Package | None
    utilities: dict[str, float]


class TurnOut(Out):
    """Whose turn it is, as the facilitator's desk shows it (never the legal answers: the
    engine narrows them by the seat's profile)."""

    turn: int
    party: str
    role: str
    held_by: Kind
    question: str
    prompt: str
    to: list[str]
    waited: float = 0.0
    """Seconds this turn has waited, pauses left out (since the server's start, if it restarted
    meanwhile)."""
    overdue: bool = False
    """The session has a turn timer and this turn has waited longer."""


class SessionStatus(Out):
    id: str
    title: str
    title_labels: Translations = {}
    party_labels: dict[str, Translations] = {}
    protocol: str
    status: Status
    round: int
    deadline: int
    agenda: list[IssueOut]
    seats: list[SeatStatus]
    result: ResultOut | None
    facilitator_profiles: Literal["after-end", "during"]
    profiles_withheld: bool
    """True while the facilitator's JSONL export leaves the profiles out."""
    turn: TurnOut | None = None
    """Who must act now (None unless the talks are running)."""
    record: list[MessageOut] = []
    """The talks so far, every message (the facilitator's transcript; ``value`` always null)."""
    turn_seconds: int | None = None
    """The turn timer chosen at creation (None: none)."""


class EndIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=r"\S")]
    """Why the facilitator ends the talks; the transcript's END message gives it."""


class PauseIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=r"\S")] | None = None
    """Why the facilitator pauses or resumes the talks (optional); the transcript gives it."""


class NoteIn(In):
    text: Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]
    """A principal's note to the mediator, out of turn (not blank, at most 2,000 characters)."""


class NoteOut(Out):
    seq: int
    """Where the note stands in the transcript."""


class ReadyOut(Out):
    ready: bool
    status: Status


# -- a seat's view ---------------------------------------------------------------------------


class Brief(Out):
    id: str
    title: str
    title_labels: Translations = {}
    protocol: str
    status: Status
    round: int
    deadline: int
    phase: str


class RedLineIO(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    description: Text
    when: dict[Name, Annotated[list[Value], Field(min_length=1, max_length=10_000)]]


class ProfileOut(Out):
    kind: str
    weights: dict[str, float]
    values: dict[str, dict[str, float]]
    red_lines: list[RedLineIO]
    reservation: float
    discount: float


class ProfileIn(In):
    """A linear-additive profile: a weight and a value per option for every issue (integer and
    real issues: values keyed by the number, as text), red lines, reservation value. Every
    number is finite, within +-1e9 (weights from 0), as in a scenario file."""

    kind: Literal["linear-additive"] = "linear-additive"
    weights: dict[Name, Weight]
    values: dict[Name, dict[Annotated[str, Field(max_length=200)], Number]]
    red_lines: Annotated[list[RedLineIO], Field(max_length=1000)] = []
    reservation: Number = 0.0
    discount: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0


class MessageOut(Out):
    seq: int
    round: int
    phase: str
    sender: str
    to: list[str]
    kind: str
    package: Package | None
    text: str
    public: bool
    value: float | None
    data: dict[str, Param]


class PendingOut(Out):
    turn: int
    allowed: list[str]
    prompt: str
    offer: Package | None
    offer_value: float | None
    previous: Package | None
    to: list[str]
    question: str = ""
    """What the engine asks (``Question``: propose, review, intervene, endorse, watch, ...)."""
    about: str | None = None
    """Whose package ``offer`` is (the third party whose framework is to be endorsed...)."""
    covers: list[str] | None = None
    """A framework to endorse that covers some issues only: their ids (None: every issue)."""
    public: bool = False
    """The answer will be public (a framework tabled, a spoiler's move)."""


class Suggestion(Out):
    criterion: str
    package: Package
    utilities: dict[str, float]


class FrontierPoint(Out):
    package: Package
    utilities: dict[str, float]


class Seated(Out):
    """A party at the table (principal or mediator): public, never a preference."""

    name: str
    role: str
    labels: Translations = {}


class ViewOut(Out):
    session: Brief
    party: str
    role: str
    ready: bool
    editable: bool
    agenda: list[IssueOut]
    parties: list[Seated]
    party_labels: dict[str, Translations] = {}
    """Every party's name in other languages (public, like the names)."""
    mediator: str | None
    advises: str | None = None
    """For an adviser: the principal whose delegation it sits in (it sees what reaches it)."""
    profile: ProfileOut | None
    reservation: float
    messages: list[MessageOut]
    pending: PendingOut | None
    confided: dict[str, ProfileOut]
    suggestions: list[Suggestion]
    frontier: list[FrontierPoint]
    result: ResultOut | None


# -- acting ----------------------------------------------------------------------------------


class EvaluateIn(In):
    package: dict[Name, Value]


class Evaluation(Out):
    value: float | None
    complete: bool
    reservation: float
    red_lines_crossed: list[str]
    impossible: list[str]
    """Why the package cannot exist: the reasons of the scenario's constraints it breaks."""
    acceptable: bool


class EvaluateOut(Evaluation):
    confided: dict[str, Evaluation] = {}
    """The mediator's only: each confided profile's evaluation (empty for a principal)."""


class ActionIn(In):
    turn: int
    kind: MessageKindName
    """One of the engine's kinds of message; the engine then takes only those the pending ask
    allows (``pending.allowed``)."""
    package: dict[Name, Value] | None = None
    text: Text = ""
    statement: Text = ""
    public: bool = False
    feedback: Literal["better", "same", "worse"] | None = None
    against: Annotated[int, Field(ge=0)] | None = None
    """Single text: the seq of an earlier draft of the mediator's this one is compared with."""
    covers: Annotated[list[Name], Field(max_length=1000)] | None = None
    """A framework only: the ids of the issues it covers (left out or empty: every issue)."""


class Ack(Out):
    turn: int
    seq: int


# -- the facilitator's desk and words out of turn ------------------------------------------


class ReplyIn(In):
    to: Name
    """The principal the mediator writes to (it alone, with its advisers, reads the reply)."""
    text: Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]


class InjectIn(In):
    """An outside event from the scenario format's kinds, put into the talks now; the fields
    each kind needs are those of a timeline event (docs/scenario-format.md)."""

    kind: EventKind
    title: Annotated[str, Field(min_length=1, max_length=500, pattern=r"\S")]
    party: Name | None = None
    by: Name | None = None
    delta: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] | None = None
    """A shift of the party's reservation value (told to it alone)."""
    rounds: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    draft: dict[Name, Value] | None = None


class InjectOut(Out):
    seqs: list[int]
    """Where the event's messages stand in the transcript."""


class DefaultIn(In):
    turn: int
    """The overdue turn the seat's built-in strategy is to answer (a stale turn is 409)."""


class SeatLinkOut(Out):
    party: str
    token: str
    link: str
