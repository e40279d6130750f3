"""A remote client's SLAs say whose business hours they count in (the MSP's zone, or the client's own)."""

from __future__ import annotations

import datetime as _dt
import io

from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.files import load_profile, load_prospect
from deckgen.model import Sla
from deckgen.resources import examples_dir
from deckgen.sales.fitted import business_hours_zone, fitted_slas, zoneless_business_hours

PROFILE = load_profile(examples_dir() / "profile.yaml")


def profile(**msp):
    slas = [
        Sla(metric="First response, business hours", target="15 minutes"),
        Sla(metric="Remote fix of a standard request", target="4 business hours", where="remote"),
        Sla(metric="On-site arrival", target="4 business hours", where="onsite"),
        Sla(metric="Critical outage resolution", target="8 hours"),
    ]
    return PROFILE.model_copy(update={"msp": PROFILE.msp.model_copy(update=msp), "slas": slas})


def rows(slas):
    return [(s["metric"], s["target"]) for s in slas]


def test_remote_slas_name_the_msps_time_zone_once_each():
    assert rows(fitted_slas(profile(time_zone="US Central Time"), onsite=False)) == [
        ("First response, business hours (US Central Time)", "15 minutes"),
        ("Remote fix of a standard request", "4 business hours (US Central Time)"),
        ("Critical outage resolution", "8 hours"),
    ]


def test_support_that_follows_the_client_says_their_local_time():
    slas = fitted_slas(profile(time_zone="US Central Time", business_hours="client"), onsite=False)
    assert rows(slas)[1] == ("Remote fix of a standard request", "4 business hours (your local time)")


def test_without_a_time_zone_the_msps_city_names_the_hours():
    assert business_hours_zone(profile(time_zone="")) == "San Antonio, TX time"
    assert not zoneless_business_hours(profile(time_zone=""), onsite=False)


def test_on_site_clients_share_the_msps_hours_and_read_the_slas_as_written():
    assert rows(fitted_slas(profile(time_zone="US Central Time"), onsite=True)) == [
        ("First response, business hours", "15 minutes"),
        ("On-site arrival", "4 business hours"),
        ("Critical outage resolution", "8 hours"),
    ]


def test_nothing_known_about_the_zone_warns_the_seller():
    bare = profile(time_zone="", city="")
    assert zoneless_business_hours(bare, onsite=False) and not zoneless_business_hours(bare, onsite=True)
    london = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    built = DeckBuilder(bare, BuildOptions(today=_dt.date(2026, 12, 1))).build(london)
    assert any(str(w).startswith("msp.time_zone: the SLAs promise business hours") for w in built.warnings)


def test_the_example_profile_names_its_zone_on_a_remote_deck():
    london = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    built = DeckBuilder(PROFILE, BuildOptions(today=_dt.date(2026, 12, 1))).build(london)
    texts = [
        cell.text
        for slide in Presentation(io.BytesIO(built.data)).slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "First response, our hours (US Central Time)" in texts  # London reads them as ours
