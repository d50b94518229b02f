"""GeniusWeb JSON folders: linear-additive profiles, number issues, reservation bids."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from parley.errors import ScenarioError
from parley.formats import import_folder, load_folder
from parley.formats.geniusweb import exact_weights, number_utilities
from parley.outcomes import DiscreteIssue, IntegerIssue, RealIssue
from parley.preferences import LinearAdditive
from parley.scenario import Scenario
from tests.test_formats_helpers import DATA, copy_folder, utility


@pytest.fixture(scope="module")
def market() -> Scenario:
    return load_folder(DATA / "geniusweb_numbers")


def test_issues_and_parties(market: Scenario) -> None:
    fruit, kilos, price = market.space.issues
    assert isinstance(fruit, DiscreteIssue)
    assert isinstance(kilos, IntegerIssue)
    assert (kilos.low, kilos.high) == (1, 5)
    assert isinstance(price, RealIssue)
    assert price.numeric_values().tolist() == [0.5, 1.0, 1.5, 2.0]  # low + k * step
    assert [p.name for p in market.principals] == ["buyer", "seller"]
    assert [p.name for p in market.mediators] == ["Mediator"]


def test_discrete_utilities_and_missing_values(market: Scenario) -> None:
    buyer = market.preferences_of("buyer")
    assert isinstance(buyer, LinearAdditive)
    assert buyer.values[0] == (1.0, 0.5, 0.0)  # plum has no utility: 0
    assert buyer.weights == (0.5, 0.3, 0.2)


def test_number_utilities_interpolate_zero_outside_and_round(market: Scenario) -> None:
    buyer, seller = market.preferences_of("buyer"), market.preferences_of("seller")
    assert isinstance(buyer, LinearAdditive)
    assert isinstance(seller, LinearAdditive)
    assert buyer.values[1] == (0.0, 0.25, 0.5, 0.75, 1.0)  # 1 -> 0 ... 5 -> 1
    assert buyer.values[2] == (1.0, 0.5, 0.0, 0.0)  # 0.5 -> 1, 1.5 -> 0, 2.0 outside -> 0
    assert seller.values[1] == (0.0, 0.33333333, 0.66666667, 1.0, 0.0)  # 8 decimals; 5 > 4
    assert seller.values[2] == (0.0, 0.33333333, 0.66666667, 1.0)


def test_older_key_names(market: Scenario) -> None:
    seller = market.preferences_of("seller")
    assert isinstance(seller, LinearAdditive)
    assert seller.values[0] == (0.2, 0.6, 1.0)  # from "discreteutils"


def test_reservation_bid_gives_the_reservation_value(market: Scenario) -> None:
    # 0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5 = 0.5
    buyer = market.preferences_of("buyer")
    assert buyer.reservation == 0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5
    assert buyer.reservation == utility(market, "buyer", fruit="pear", kilos=3, price=1.0)
    doc = market.doc.parties[0].preferences
    assert doc is not None
    assert doc.reservation_outcome == {"fruit": "pear", "kilos": 3, "price": 1.0}
    assert market.preferences_of("seller").reservation == 0.0  # "reservationBid": null


def test_weighted_sum_by_hand(market: Scenario) -> None:
    # 0.25 * 1.0 + 0.25 * 0.66666667 + 0.5 * 0.33333333
    u = utility(market, "seller", fruit="plum", kilos=3, price=1.0)
    assert u == 0.25 * 1.0 + 0.25 * 0.66666667 + 0.5 * 0.33333333


def test_domain_embedded_in_the_profiles_is_enough(tmp_path: Path) -> None:
    folder = copy_folder("geniusweb_numbers", tmp_path)
    (folder / "market.json").unlink()
    scenario = load_folder(folder)
    assert [i.id for i in scenario.space.issues] == ["fruit", "kilos", "price"]


def _edit(tmp_path: Path, name: str, change: str, new: object) -> Path:
    folder = copy_folder("geniusweb_numbers", tmp_path)
    path = folder / name
    data = json.loads(path.read_text())
    node = data
    *parents, last = change.split("/")
    for key in parents:
        node = node[key]
    node[last] = new
    path.write_text(json.dumps(data))
    return folder


SPACE = "LinearAdditiveUtilitySpace"
BROKEN = [
    ("other domain", "buyer.json", f"{SPACE}/domain/issuesValues/fruit", {"values": ["fig"]},
     r"buyer\.json: LinearAdditiveUtilitySpace\.domain: differs from the domain file"),
    ("missing weight", "seller.json", f"{SPACE}/issueWeights", {"fruit": 0.5, "kilos": 0.5},
     r"seller\.json: LinearAdditiveUtilitySpace\.issueWeights\.price: no weight"),
    ("extra issue", "seller.json", f"{SPACE}/issueWeights/colour", 0.1,
     r"seller\.json: LinearAdditiveUtilitySpace\.issueWeights\.colour: not an issue"),
    ("unknown utilities", "seller.json", f"{SPACE}/issueUtilities/fruit", {"Whatever": {}},
     r"seller\.json: LinearAdditiveUtilitySpace\.issueUtilities\.fruit: unknown kind"),
    ("bad reservation bid", "buyer.json", f"{SPACE}/reservationBid/issuevalues/fruit", "fig",
     r"parties\[buyer\]\.preferences\.reservation_outcome\.fruit: 'fig' is not an option"),
    ("bad range", "market.json", "issuesValues/kilos/range/step", 0,
     r"market\.json: issuesValues\.kilos\.range: bad range"),
]


@pytest.mark.parametrize(("case", "name", "change", "new", "pattern"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_malformed_profiles(
    tmp_path: Path, case: str, name: str, change: str, new: object, pattern: str
) -> None:
    folder = _edit(tmp_path, name, change, new)
    with pytest.raises(ScenarioError, match=pattern):
        load_folder(folder)


def test_unsupported_profile_kind_and_bad_json(tmp_path: Path) -> None:
    folder = copy_folder("geniusweb_numbers", tmp_path)
    (folder / "seller.json").write_text('{"SumOfGroupsUtilitySpace": {}}')
    with pytest.raises(ScenarioError, match=r"seller\.json: SumOfGroupsUtilitySpace: unsupported"):
        import_folder(folder)
    (folder / "seller.json").write_text('{"LinearAdditiveUtilitySpace": {,}}')
    with pytest.raises(ScenarioError, match=r"seller\.json: line 1, column 33: not readable"):
        import_folder(folder)


def test_exported_weights_sum_to_exactly_one_in_decimal() -> None:
    weights = (0.1, 0.2, 0.7000000000000001)  # shortest texts sum to 1.0000000000000001
    texts = exact_weights(weights)
    assert sum(Decimal(t) for t in texts) == 1
    assert [float(t) for t in texts] == pytest.approx(list(weights), abs=1e-15)
    assert exact_weights((0.5, 0.25, 0.25)) == ["0.5", "0.25", "0.25"]


def test_number_utilities_fit_a_span_with_zero_outside() -> None:
    grid = np.array([0.5, 1.0, 1.5, 2.0])
    assert number_utilities(grid, (1.0, 0.5, 0.0, 0.0)) == {
        "lowValue": 0.5, "lowUtility": 1.0, "highValue": 1.5, "highUtility": 0.0,
    }
    assert number_utilities(grid, (0.0, 0.25, 0.5, 0.75)) == {
        "lowValue": 0.5, "lowUtility": 0.0, "highValue": 2.0, "highUtility": 0.75,
    }
    assert number_utilities(grid, (0.0, 0.2, 1.0, 0.1)) is None  # not a line anywhere
