"""Taking turns for the dashboard's heavy setup: never more holders than places, a dead holder frees its turn."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from wijkkit.kenniskring.beurt import een_voor_een

pytest.importorskip("fcntl")

HOLD = """
import sys, time
from pathlib import Path
from wijkkit.kenniskring.beurt import een_voor_een
with een_voor_een(1, folder=Path(sys.argv[1])):
    print("beurt", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_visitor_waits_for_the_turn_and_gets_it_when_it_is_free(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "1.5"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "beurt"
    began = time.monotonic()
    with een_voor_een(1, folder=tmp_path):
        waited = time.monotonic() - began
    holder.wait(timeout=30)
    assert waited >= 0.5  # the holder kept its turn for 1.5 s after saying so


def test_two_places_let_two_in_at_once(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD.replace("een_voor_een(1", "een_voor_een(2"),
                               str(tmp_path), "5"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "beurt"
    began = time.monotonic()
    with een_voor_een(2, folder=tmp_path):
        assert time.monotonic() - began < 4
    holder.kill()
    holder.wait()


def test_a_killed_holder_frees_its_turn(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "beurt"
    holder.kill()
    holder.wait()
    began = time.monotonic()
    with een_voor_een(1, folder=tmp_path):
        assert time.monotonic() - began < 30


def test_without_a_turn_in_time_the_page_is_set_up_anyway(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "beurt"
        with een_voor_een(1, folder=tmp_path, wachten=0.3) as handle:
            assert handle is None
    finally:
        holder.kill()
        holder.wait()
