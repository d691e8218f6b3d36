"""The owner page's demand signals (/admin/signals): ranked tables, plots, and each table as
CSV (/admin/signals/<table>.csv), over a chosen period."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assistant.app import Services
from assistant.errors import PeriodError
from assistant.owner import charts
from assistant.owner.signals import Group, Report, report

#: the tables, in page order: (CSV name, heading, what it says)
TABLES = (
    ("not-carried", "Asked for, not carried", "Things shoppers asked for that the shop does not carry, grouped by meaning."),
    ("unanswered", "Questions no policy answered", "Questions the shop's policies had no section for."),
    ("no-product", "Searches with no product", "Searches where nothing met what the shopper asked for."),
    ("intents", "What shoppers asked", "The kinds of request, by turns."),
    ("ratings", "Thumbs and comments", "Ratings shoppers gave the assistant's answers, newest first."),
    ("resolution", "Resolved without a person", "Conversations by the day they started, and how many were handed to a person."),
)
MAX_ROWS = 50  # a table's rows on the page (the CSV has all)
MAX_DAYS = 3650


@dataclass(frozen=True)
class Shell:
    """What every owner view needs of the page: the sign-in check and the page frame."""

    root: str
    signed_in: Callable[[Request], bool]
    sign_in_form: Callable[[], HTMLResponse]
    frame: Callable[..., HTMLResponse]


def period(days: str | None, start: str | None, end: str | None, today: date) -> tuple[datetime, datetime, str]:
    """(from, up to, how to say it): ``start``/``end`` days (YYYY-MM-DD, both included), else the last ``days`` days (30)."""
    try:
        if start or end:
            first = date.fromisoformat(start) if start else today - timedelta(days=29)
            last = date.fromisoformat(end) if end else today
            if last < first:
                raise PeriodError("The period ends before it starts.")
            if (last - first).days > MAX_DAYS:
                raise PeriodError(f"A period is at most {MAX_DAYS} days.")
            said = f"{first.isoformat()} to {last.isoformat()}"
        else:
            count = int(days or 30)
            if not 1 <= count <= MAX_DAYS:
                raise PeriodError(f"Choose between 1 and {MAX_DAYS} days.")
            first, last = today - timedelta(days=count - 1), today
            said = f"the last {count} days"
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError("Dates are written YYYY-MM-DD, and days as a whole number.") from None
    return datetime.combine(first, time(), UTC), datetime.combine(last + timedelta(days=1), time(), UTC), said


def rows(name: str, found: Report) -> tuple[list[str], list[list[str]]]:
    """A table's header and rows, as text (the page and the CSV show the same)."""

    def grouped(groups: tuple[Group, ...]) -> tuple[list[str], list[list[str]]]:
        header = ["Asked for", "Turns", "Conversations", "Also said as", "Example", "Last seen (UTC)"]
        return header, [
            [
                g.label,
                str(g.count),
                str(g.conversations),
                ", ".join(p for p, _ in g.phrases[1:]),
                g.examples[0] if g.examples else "",
                g.last_seen,
            ]
            for g in groups
        ]

    if name == "not-carried":
        return grouped(found.not_carried)
    if name == "unanswered":
        header, body = grouped(found.unanswered)
        return ["Question", *header[1:]], body
    if name == "no-product":
        return grouped(found.no_product)
    if name == "intents":
        return ["Request", "Turns", "Share"], [[s.name.replace("_", " "), str(s.count), f"{s.share:.0%}"] for s in found.intents]
    if name == "ratings":
        return ["When (UTC)", "Rating", "Comment", "Shopper said", "Assistant answered", "Understood as", "Conversation", "Turn"], [
            [r.created_at, r.rating, r.comment or "", r.shopper_text, r.reply_text, r.intent, r.conversation_id, str(r.turn)]
            for r in found.ratings
        ]
    if name == "resolution":
        return ["Day", "Conversations", "Handed to a person", "Resolved without a person"], [
            [d.day, str(d.conversations), str(d.handed_off), f"{d.resolved_share:.0%}"] for d in reversed(found.days) if d.conversations
        ]
    raise KeyError(name)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: shoppers wrote these, and "=HYPERLINK(...)" must not run."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def install(router: APIRouter, shell: Shell, services: Services) -> None:
    e = html.escape
    root = shell.root

    def embed(texts: list[str]) -> list[list[float]]:
        return services.products.store.embedder.embed_documents(texts)

    def today() -> date:  # the log's times are real ones (SHOPASSIST_TODAY moves return windows, not these)
        return datetime.now(UTC).date()

    def compute(days: str | None, start: str | None, end: str | None) -> tuple[Report, str] | HTMLResponse:
        if services.log is None:
            return shell.frame("Signals", "<p>This store keeps no conversation log, so there is nothing to count.</p>", 404)
        try:
            first, upto, said = period(days, start, end, today())
        except PeriodError as exc:
            return shell.frame("Signals", f'<p class="error" role="alert">{e(str(exc))}</p>', 400)
        return report(services.log, embed, first, upto), said

    @router.get("/signals")
    def signals_page(request: Request, days: str | None = None, start: str | None = None, end: str | None = None) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        computed = compute(days, start, end)
        if isinstance(computed, HTMLResponse):
            return computed
        found, said = computed
        query = request.url.query
        up, down = found.thumbs
        summary = (
            f"<p>{found.conversations} conversations and {found.turns} messages in {e(said)}; "
            f"{found.resolved_share:.0%} resolved without a person ({found.handed_off} handed off); "
            f"{up} thumbs up, {down} thumbs down.</p>"
        )
        chosen = " · ".join(f'<a href="{root}/admin/signals?days={n}">{n} days</a>' for n in (7, 30, 90, 365))
        form = (
            f'<form method="get" action="{root}/admin/signals" class="row" aria-label="Period">'
            f'<label for="start" style="margin:0">From</label><input id="start" name="start" type="date" value="{e(start or "")}" style="width:auto">'
            f'<label for="end" style="margin:0">to</label><input id="end" name="end" type="date" value="{e(end or "")}" style="width:auto">'
            f'<button type="submit" class="secondary">Show</button></form>'
        )
        sections = []
        for name, heading, says in TABLES:
            header, body = rows(name, found)
            chart = _chart(name, found)
            table = (
                "<table><thead><tr>"
                + "".join(f"<th>{e(h)}</th>" for h in (header[:RATING_COLUMNS] + [""] if name == "ratings" else header))
                + "</tr></thead><tbody>"
                + "".join("<tr>" + _cells(name, row, root) + "</tr>" for row in body[:MAX_ROWS])
                + "</tbody></table>"
                if body
                else "<p class=meta>Nothing in this period.</p>"
            )
            more = f"<p class=meta>The first {MAX_ROWS} of {len(body)}; the CSV has all.</p>" if len(body) > MAX_ROWS else ""
            download = f'<a href="{root}/admin/signals/{name}.csv{"?" + e(query) if query else ""}" download>Download CSV</a>'
            sections.append(
                f'<section class="panel" aria-labelledby="h-{name}" id="{name}"><h2 id="h-{name}">{e(heading)}</h2>'
                f'<p class="meta">{e(says)} {download}</p>{chart}<div class="scroll">{table}</div>{more}</section>'
            )
        content = f"<h1>Demand signals</h1><p>{chosen}</p>{form}{summary}{''.join(sections)}"
        return shell.frame("Demand signals", content)

    @router.get("/signals/{name}.csv")
    def signals_csv(request: Request, name: str, days: str | None = None, start: str | None = None, end: str | None = None) -> Response:
        if not shell.signed_in(request):
            return shell.sign_in_form()
        if name not in {n for n, _, _ in TABLES}:
            return shell.frame("Not found", "<p>No such table.</p>", 404)
        computed = compute(days, start, end)
        if isinstance(computed, HTMLResponse):
            return computed
        found, _ = computed
        header, body = rows(name, found)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([safe_cell(cell) for cell in row] for row in body)
        filename = f"{name}-{found.start.date().isoformat()}-{(found.end - timedelta(days=1)).date().isoformat()}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
        )


#: the ratings table on the page: what was said and rated; the CSV adds the conversation and turn
RATING_COLUMNS = 6


def _cells(name: str, row: list[str], root: str) -> str:
    """A table row as the page shows it: cells shortened, a rating with a link to correct its turn."""
    e = html.escape
    if name == "ratings":
        conversation, turn = row[RATING_COLUMNS], row[RATING_COLUMNS + 1]
        link = f'<a href="{root}/admin/corrections/{e(conversation)}/{e(turn)}">Correct</a>'
        return "".join(f"<td>{e(_short(cell))}</td>" for cell in row[:RATING_COLUMNS]) + f"<td>{link}</td>"
    return "".join(f"<td>{e(_short(cell))}</td>" for cell in row)


def _short(cell: str, limit: int = 160) -> str:
    """A cell as the page shows it (the CSV has it whole)."""
    return cell if len(cell) <= limit else cell[: limit - 1].rstrip() + "…"


def _chart(name: str, found: Report) -> str:
    if name in ("not-carried", "unanswered", "no-product"):
        groups = {"not-carried": found.not_carried, "unanswered": found.unanswered, "no-product": found.no_product}[name]
        return charts.bars(f"{name.replace('-', ' ')}: turns per group", [(g.label, g.count) for g in groups[:10]])
    if name == "intents":
        return charts.bars(
            "Requests by kind: share of turns", [(s.name.replace("_", " "), round(s.share * 100, 1)) for s in found.intents[:10]], "%"
        )
    if name == "resolution":
        days = [(d.day, d.conversations, d.handed_off) for d in found.days]
        return charts.stacked_days("Conversations per day: resolved (green) and handed to a person (grey)", days)
    return ""
