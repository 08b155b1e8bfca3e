"""The HTML rail is a real check: the checker every browser page goes through reports
an invalid document, and passes a valid one. Without java or vnu.jar this test fails
where the checker is required (CI=true or REQUIRE_SERVICES=1) and is skipped elsewhere,
so the page sweep cannot pass silently unchecked."""

import pytest

from tests import htmlcheck

VALID = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Valid</title></head>
<body><main><h1>Valid</h1><p>A paragraph.</p></main></body>
</html>
"""

# A list inside a paragraph closes the paragraph; its </p> is then stray. Line 5.
STRAY_P = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Invalid</title></head>
<body><main><h1>Invalid</h1>
<p>Text <ul><li>item</li></ul></p>
</main></body>
</html>
"""


def test_the_html_checker_reports_a_stray_end_tag_and_passes_a_valid_page(html_checker):
    if html_checker is None:  # the fixture has already failed where it is required
        assert not htmlcheck.required()
        pytest.skip("HTML checker unavailable: java or node_modules/vnu-jar missing (make install)")

    assert html_checker.errors(VALID) == []

    errors = html_checker.errors(STRAY_P)
    assert [(e.line, e.message) for e in errors] == [
        (5, "No “p” element in scope but a “p” end tag seen.")
    ]


def test_a_visited_page_with_invalid_html_fails_its_check_naming_url_line_and_message(
    html_checker, new_visitor
):
    """The browser's page checks send the HTML as received (here a stand-in response
    for one URL) to the checker, and fail with the URL, the line and the message."""
    if html_checker is None:
        assert not htmlcheck.required()
        pytest.skip("HTML checker unavailable: java or node_modules/vnu-jar missing (make install)")
    visitor = new_visitor()
    visitor.page.route(
        "**/stray-p/",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=STRAY_P
        ),
    )
    visitor.goto("/stray-p/", check=False)
    with pytest.raises(AssertionError) as failure:
        visitor.check_html()
    assert str(failure.value).startswith(f"GET {visitor.url('/stray-p/')}: 1 HTML error(s)")
    assert "line 5, column" in str(failure.value)
    assert "No “p” element in scope but a “p” end tag seen." in str(failure.value)
