"""How much a visit receives, and in words why: shown to the applicant before they submit.

The lump sum is a daily allowance per working day on site plus a travel amount
for the distance band. It is capped per host country, halved when the stay is
shorter than five working days or the two organisations are less than 200 km
apart, and capped per visitor when the call says so (the ClusterXchange rules).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

SHORT_STAY_DAYS = 5
NEAR_KM = 200
CENT = Decimal("0.01")


def working_days(start: date, end: date) -> int:
    """Monday to Friday from ``start`` to ``end``, both included."""
    if end < start:
        return 0
    full_weeks, rest = divmod((end - start).days + 1, 7)
    days = full_weeks * 5
    for i in range(rest):
        if (start + timedelta(days=full_weeks * 7 + i)).weekday() < 5:
            days += 1
    return days


def _eur(amount: Decimal) -> str:
    return f"{amount:,.2f} EUR"


@dataclass
class Funding:
    amount: Decimal
    days: int
    lines: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "\n".join(self.lines)


def compute_funding(
    *, call, host_country: str, start: date, end: date, distance_km: int
) -> Funding:
    days = working_days(start, end)
    allowance = (call.daily_allowance * days).quantize(CENT)
    lines = [
        _("%(days)s working days × %(rate)s = %(sum)s")
        % {"days": days, "rate": _eur(call.daily_allowance), "sum": _eur(allowance)}
    ]
    bands = sorted(call.travel_bands.all(), key=lambda b: b.from_km)
    band = None
    for candidate in bands:
        if distance_km >= candidate.from_km:
            band = candidate
    travel = band.amount if band else Decimal("0")
    if band:
        lines.append(
            _("Travel, %(km)s km (band from %(from)s km): %(sum)s")
            % {"km": distance_km, "from": band.from_km, "sum": _eur(travel)}
        )
    else:
        lines.append(_("Travel: no band covers %(km)s km, so nothing") % {"km": distance_km})
    amount = allowance + travel
    cap = next((c.cap for c in call.country_caps.all() if c.country == host_country), None)
    if cap is not None and amount > cap:
        amount = cap
        lines.append(_("Capped for this host country at %(cap)s") % {"cap": _eur(cap)})
    reasons = []
    if days < SHORT_STAY_DAYS:
        reasons.append(_("shorter than %(n)s working days") % {"n": SHORT_STAY_DAYS})
    if distance_km < NEAR_KM:
        reasons.append(_("less than %(km)s km apart") % {"km": NEAR_KM})
    if reasons:
        amount = (amount / 2).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(_("Halved: %(why)s") % {"why": _(" and ").join(reasons)})
    if call.visitor_cap is not None and amount > call.visitor_cap:
        amount = call.visitor_cap
        lines.append(_("Capped per visitor at %(cap)s") % {"cap": _eur(call.visitor_cap)})
    amount = amount.quantize(CENT)
    lines.append(_("Lump sum: %(sum)s") % {"sum": _eur(amount)})
    return Funding(amount=amount, days=days, lines=lines)
