"""Reading wrk's report: samples are real wrk 4.1.0 (Debian) output captured on this machine
(``wrk -t2 -c16 -d2s --latency`` against small local servers: a page, a missing page, a
server slower than ``--timeout``, one answering 302/500 in up to 1.3 s, nothing listening)."""

from pathlib import Path

import pytest

from bench.load import WrkError, parse_wrk, wrk_command

SAMPLES = Path(__file__).with_name("wrk_samples")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def test_a_clean_run_gives_requests_per_second_and_percentiles_in_ms():
    result = parse_wrk(sample("ok.txt"))

    assert result.requests == 1447
    assert result.seconds == pytest.approx(2.01)
    assert result.requests_per_second == pytest.approx(719.46)
    assert result.latency_ms == pytest.approx({"50": 6.56, "75": 10.83, "90": 41.73, "99": 667.42})
    assert result.p50_ms == pytest.approx(6.56)
    assert result.p99_ms == pytest.approx(667.42)
    assert result.errors == 0


def test_non_2xx_or_3xx_responses_count_as_errors():
    result = parse_wrk(sample("non2xx.txt"))

    assert result.non_2xx_3xx == 1813
    assert result.errors == 1813
    assert result.requests_per_second == pytest.approx(904.32)


def test_socket_timeouts_count_as_errors():
    result = parse_wrk(sample("timeouts.txt"))

    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 17}
    assert result.errors == 17
    assert result.latency_ms["99"] == 0.0  # wrk keeps no latency for a timed-out request


def test_latencies_in_seconds_are_read_as_milliseconds():
    result = parse_wrk(sample("seconds_mixed.txt"))

    assert result.latency_ms["50"] == pytest.approx(54.35)
    assert result.latency_ms["90"] == pytest.approx(1300.0)
    assert result.p99_ms == pytest.approx(1320.0)
    assert result.non_2xx_3xx == 60
    assert result.seconds == pytest.approx(3.01)


def test_a_run_that_could_not_connect_is_an_error_not_a_zero():
    with pytest.raises(WrkError, match="unable to connect"):
        parse_wrk(sample("refused.txt"))


def test_the_command_asks_for_whole_seconds_the_latency_report_and_each_header():
    command = wrk_command(
        "http://127.0.0.1:8000/",
        seconds=10,
        timeout=30,
        headers={"Cookie": "sessionid=abc", "X-Forwarded-Proto": "https"},
    )

    assert command == [
        "wrk",
        "-t2",
        "-c16",
        "-d10s",
        "--timeout=30s",
        "--latency",
        "-H",
        "Cookie: sessionid=abc",
        "-H",
        "X-Forwarded-Proto: https",
        "http://127.0.0.1:8000/",
    ]
