"""The weekly accountability report: small cells suppressed, then HTML and open data.

Leadership reads the HTML page; the portal publishes the same figures as CSV
and JSON. All three come from one suppressed view of the week
(:func:`suppressed_view`): a count under the threshold (default 5) is shown
as "<5" and published as null, and so is a median, a percentile or a share
computed over fewer cases than that, because a small group can point at the
person behind a complaint. No text written by a citizen ever enters the
view: only counts, durations, unit and state names, fraud labels and
incident codes.

The files carry no time of rendering, so the same week rendered twice gives
identical bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine

from reports.files import write_atomically
from reports.spanish import label_es, spanish_time
from reports.svg import bar_chart
from reports.weekly_data import Week, collect_week
from tasks.routing import load_rules

TEMPLATES = Path(__file__).parent / "templates"
CHANNELS_ES = {
    "te_atiende": "Conavi Te Atiende",
    "denuncia": "Conavi Denuncia",
    "portal": "Portal Ciudadano",
}
TOPICS_ES = {
    "registro": "Registro",
    "estatus": "Estatus de solicitud",
    "pago": "Pagos",
    "obra": "Obra y asistencia técnica",
    "atencion": "Atención al público",
    "otro": "Otros temas",
}


@dataclass(frozen=True)
class WeeklyFiles:
    """What one rendering wrote."""

    week: str
    html: Path
    json: Path
    csv: Path
    summary: str  # Markdown, for the Prefect artifact


def render_week(
    engine: Engine, week: Week, out_dir: Path, threshold: int = 5
) -> WeeklyFiles:
    """Aggregate ``week`` in the database and write its report and open data."""
    data = collect_week(engine, week)
    view = suppressed_view(data, threshold, load_rules().units)
    stem = f"semana-{week.label}"
    html = out_dir / f"informe-{stem}.html"
    json_path = out_dir / f"datos-abiertos-{stem}.json"
    csv_path = out_dir / f"datos-abiertos-{stem}.csv"
    # Aggregates only, free of personal data: readable by whoever publishes them.
    write_atomically(html, render_html(view), mode=0o644)
    document = json.dumps(view, ensure_ascii=False, indent=2) + "\n"
    write_atomically(json_path, document, mode=0o644)
    write_atomically(csv_path, open_data_csv(view), mode=0o644)
    return WeeklyFiles(
        week.label, html, json_path, csv_path, summary_markdown(view, html)
    )


def suppressed_view(
    data: dict[str, Any], threshold: int, units: dict[str, str]
) -> dict[str, Any]:
    """The week's figures with every small cell hidden; plain JSON types only."""
    hide = _Suppressor(threshold)
    volume = data["volume"]
    return {
        "semana": data["week"],
        "desde": data["start"].isoformat(),
        "hasta": data["end"].isoformat(),
        "umbral_supresion": threshold,
        "volumen": {
            "casos_por_canal": hide.compare(volume["channel"], CHANNELS_ES),
            "mensajes_por_canal": hide.compare(volume["messages"], CHANNELS_ES),
            "casos_por_tema": hide.compare(volume["topic"], TOPICS_ES),
            "casos_por_estado": hide.compare(volume["state"], {}),
        },
        "primera_respuesta": hide.durations(data["first_answer"], units),
        "resolucion": hide.durations(data["resolution"], units),
        "rezago_por_antiguedad": [
            {"antiguedad": row["age"], "casos": hide.count(row["count"])}
            for row in data["backlog"]
        ],
        "vencidos_por_unidad": [
            {
                "unidad": units.get(row["unit"], row["unit"]),
                "abiertos": hide.count(row["open"]),
                "vencidos": hide.count(row["overdue"]),
            }
            for row in data["overdue"]
        ],
        "embudo_fraude": {k: hide.count(v) for k, v in data["fraud_funnel"].items()},
        "incidentes_principales": [
            {
                "incidente": row["code"],
                "denunciantes": hide.count(row["reporters"]),
                "casos": hide.count(row["cases"]),
                "senales": [label_es(label) for label in row["labels"]],
            }
            for row in data["top_incidents"]
        ],
        "respuestas_automaticas": _automatic(data["automatic"], hide),
        "calidad": _quality(data["quality"], hide),
    }


class _Suppressor:
    """Hides counts under the threshold and figures computed on too few cases."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    def count(self, value: int | None) -> int | None:
        if value is None or 0 < value < self.threshold:
            return None
        return int(value)

    def share(self, part: int | None, whole: int | None) -> float | None:
        """A percentage, hidden when either side is a small count: 3 of 40
        shown as 7.5 % would give the hidden 3 away."""
        if not whole or whole < self.threshold or part is None:
            return None
        if 0 < part < self.threshold or 0 < whole - part < self.threshold:
            return None
        return round(100 * part / whole, 1)

    def compare(
        self, rows: list[dict[str, Any]], names: dict[str, str]
    ) -> list[dict[str, Any]]:
        shown = []
        for row in rows:
            now, before = self.count(row["count"]), self.count(row["previous"])
            change = None
            if now is not None and before:
                change = round(100 * (now - before) / before, 1)
            shown.append({
                "clave": row["key"], "nombre": names.get(row["key"], row["key"]),
                "casos": now, "semana_anterior": before, "cambio_pct": change,
            })  # fmt: skip
        return shown

    def durations(
        self, per_unit: dict[str, dict[str, Any]], units: dict[str, str]
    ) -> list[dict[str, Any]]:
        shown = []
        for unit in sorted(per_unit):
            row = per_unit[unit]
            enough = row["cases"] >= self.threshold
            shown.append({
                "unidad": units.get(unit, unit),
                "casos": self.count(row["cases"]),
                "mediana_horas": _hours(row["median_h"]) if enough else None,
                "p90_horas": _hours(row["p90_h"]) if enough else None,
                "dentro_de_meta_pct": self.share(row["on_time"], row["cases"]),
                "en_espera": self.count(row.get("waiting")),
            })  # fmt: skip
        return shown


def _hours(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _automatic(figures: dict[str, Any], hide: _Suppressor) -> dict[str, Any]:
    """Te Atiende cases answered from the answer base, and who wrote again."""
    cases, answered = figures["te_atiende_cases"], figures["answered_automatically"]
    again = figures["wrote_again_24h"]
    return {
        "casos_te_atiende": hide.count(cases),
        "respondidos": hide.count(answered),
        "respondidos_pct": hide.share(answered, cases),
        "escribieron_de_nuevo_24h": hide.count(again),
        "escribieron_de_nuevo_pct": hide.share(again, answered),
    }


def _quality(quality: dict[str, Any], hide: _Suppressor) -> dict[str, Any]:
    return {
        "eventos_rechazados": quality["rejected"],  # deliveries, not people
        "casos_clasificados": hide.count(quality["classified"]),
        "requieren_revision_pct": hide.share(
            quality["needs_review"], quality["classified"]
        ),
        "versiones_clasificador": [
            {"version": row["version"], "casos": hide.count(row["cases"])}
            for row in quality["versions"]
        ],
    }


def open_data_csv(view: dict[str, Any]) -> str:
    """The view as one long table: section, item, measure, value (empty: hidden)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["semana", "seccion", "elemento", "medida", "valor"])
    for section, item, measure, value in _cells(view):
        writer.writerow([view["semana"], section, item, measure,
                         "" if value is None else value])  # fmt: skip
    return buffer.getvalue()


def _cells(view: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    for section, rows in view["volumen"].items():
        for row in rows:
            for measure in ("casos", "semana_anterior", "cambio_pct"):
                yield section, row["nombre"], measure, row[measure]
    for section in ("primera_respuesta", "resolucion"):
        for row in view[section]:
            for measure, value in row.items():
                if measure != "unidad":
                    yield section, row["unidad"], measure, value
    for row in view["rezago_por_antiguedad"]:
        yield "rezago_por_antiguedad", row["antiguedad"], "casos", row["casos"]
    for row in view["vencidos_por_unidad"]:
        yield "vencidos_por_unidad", row["unidad"], "abiertos", row["abiertos"]
        yield "vencidos_por_unidad", row["unidad"], "vencidos", row["vencidos"]
    for measure, value in view["embudo_fraude"].items():
        yield "embudo_fraude", "casos con señal de fraude", measure, value
    for measure, value in view["respuestas_automaticas"].items():
        yield "respuestas_automaticas", "Conavi Te Atiende", measure, value
    quality = view["calidad"]
    for measure in (
        "eventos_rechazados",
        "casos_clasificados",
        "requieren_revision_pct",
    ):
        yield "calidad", "todos", measure, quality[measure]


def render_html(view: dict[str, Any]) -> str:
    """The report as one self-contained HTML page in Spanish."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    hidden = f"<{view['umbral_supresion']}"
    environment.filters.update(
        cell=lambda value, suffix="": _cell(value, suffix, hidden), change=_change
    )
    template = environment.get_template("weekly_report.html.j2")
    return template.render(
        view=view, charts=_charts(view, hidden), period=_period(view), hidden=hidden
    )


def _charts(view: dict[str, Any], hidden: str) -> dict[str, str]:
    legend = ("esta semana", "semana anterior")
    volume = view["volumen"]

    def compare(rows: list[dict[str, Any]], title: str) -> str:
        pairs = [(r["nombre"], (r["casos"], r["semana_anterior"])) for r in rows]
        return bar_chart(pairs, title, legend, suppressed_text=hidden)

    return {
        "channels": compare(volume["casos_por_canal"], "Casos por canal"),
        "topics": compare(volume["casos_por_tema"], "Casos por tema"),
        "first_answer": bar_chart(
            [(r["unidad"], (r["mediana_horas"],)) for r in view["primera_respuesta"]],
            "Primera respuesta: mediana en horas",
            unit=" h",
            suppressed_text="sin datos suficientes",
        ),
        "backlog": bar_chart(
            [(r["antiguedad"], (r["casos"],)) for r in view["rezago_por_antiguedad"]],
            "Casos abiertos al cierre, por antigüedad",
            suppressed_text=hidden,
        ),
    }


def _period(view: dict[str, Any]) -> str:
    from datetime import datetime, timedelta

    start = datetime.fromisoformat(view["desde"])
    last = datetime.fromisoformat(view["hasta"]) - timedelta(seconds=1)
    return f"{spanish_time(start).split(',')[0]} a {spanish_time(last).split(',')[0]}"


def _cell(value: Any, suffix: str = "", hidden: str = "<5") -> str:
    """A figure for the page: "<5" where suppressed, thousands separated."""
    if value is None:
        return hidden
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f} %"


def summary_markdown(view: dict[str, Any], html: Path) -> str:
    """A few lines for the Prefect artifact: the headline figures and the file."""
    channels = view["volumen"]["casos_por_canal"]
    total = sum(row["casos"] or 0 for row in channels)
    funnel = view["embudo_fraude"]
    overdue = sum(row["vencidos"] or 0 for row in view["vencidos_por_unidad"])
    return (
        f"## Informe semanal {view['semana']}\n\n"
        f"- Casos recibidos: {total:,}\n"
        f"- Con señal de fraude: {_cell(funnel['received'])}, "
        f"atendidos: {_cell(funnel['triaged'])}\n"
        f"- Casos vencidos al cierre: {overdue:,}\n\n"
        f"Archivo: `{html}`\n"
    )
