"""Prospects from CRM exports and spreadsheets: header presets and column mapping.

:func:`open_prospects` reads the header of a CSV/XLSX/JSON/YAML list (see
:mod:`deckgen.load.table.read`), recognises which CRM wrote it, decides once which
column feeds which :class:`~deckgen.model.Prospect` field, and returns a
:class:`ProspectSource` that streams one :class:`RowResult` per data row.

Which column feeds which field, in order of precedence:

1. the user's mapping (``--map "Account Name=company"`` or a mapping file);
   it replaces whatever a preset would have put into that field;
2. the CRM preset (HubSpot, Salesforce Data Loader, Salesforce report,
   ConnectWise PSA, Pipedrive, Zoho CRM), detected from the headers;
3. deckgen's own field names (``company``, ``users``, ``size.users``,
   ``pain_points``, ``it_model``, ``extra.Territory`` ...), understood in every
   file;
4. everything else is kept as text in ``prospect.extra[column name]``.

Detection: every preset lists the headers it knows. A header known to only one
preset (and not a common word like "Industry" or "City") is *distinctive* for
it. The preset with the most distinctive headers present wins, provided its
company-name column is there; without any distinctive header the file is read
as "generic" (deckgen's own names).

Problems with the file itself raise :class:`~deckgen.errors.InputError` before
any row is yielded; a problem with one row is reported in that row's
``RowResult.error`` and the stream goes on.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import re
import types
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from deckgen.errors import InputError
from deckgen.load.files import confine_logo, format_loc
from deckgen.load.table.read import Cell, RawRow, Table, open_table
from deckgen.load.yamlfile import load_yaml_file
from deckgen.model import Prospect
from deckgen.load.textclean import clean_text

__all__ = [
    "PRESETS", "Preset", "ProspectSource", "RowResult", "load_mapping_file", "open_prospects",
    "parse_map_options", "parse_number", "resolve_field",
]

CRM_CHOICES = ("auto", "hubspot", "salesforce", "salesforce_report", "connectwise", "pipedrive", "zoho",
               "generic", "mapping")
MAX_DECISION_MAKERS = 20
MAX_EXTRA_KEY = 200


# =========================================================================== public results

@dataclass
class RowResult:
    """One data row: a validated prospect, or the error that stopped it."""

    row: int  # Excel row number (header = 1, first data row = 2); 1-based item index for JSON/YAML
    prospect: Prospect | None
    error: InputError | None
    warnings: list[str]
    raw: dict[str, str]  # the row as read (column -> text)


@dataclass
class ProspectSource:
    """An opened prospect list. Iterating streams :class:`RowResult`; each iteration re-reads the file."""

    path: Path
    preset: str  # one of CRM_CHOICES except "auto"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252", ... ("xlsx" for workbooks)
    columns: list[str]
    warnings: list[str]
    format: str = "csv"  # "csv", "xlsx", "json", "yaml"
    column_map: dict[str, str] = field(default_factory=dict)  # column -> field path ("" = ignored)
    _table: Table | None = field(default=None, repr=False)
    _mapper: _RowMapper | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[RowResult]:
        assert self._table is not None and self._mapper is not None
        return _stream(self._table, self._mapper)

    def count(self) -> int:
        """How many data rows the list has, bad ones included; reads the file again but validates nothing."""
        assert self._table is not None
        rows = iter(self._table)
        with contextlib.closing(rows):
            return sum(1 for _ in rows)


def _stream(table: Table, mapper: _RowMapper) -> Iterator[RowResult]:
    rows = iter(table)
    with contextlib.closing(rows):  # stopping early closes the file
        for raw in rows:
            yield mapper(raw)


# =========================================================================== header keys

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u2013": "-", "\u2014": "-",
                         "\u00a0": " "})


def header_key(name: str) -> str:
    """How headers are compared: case, accents, quote style and spacing do not matter."""
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def _gkey(name: str) -> str:
    """Header key for deckgen's own names: 'Pain points' -> 'pain_points'."""
    key = header_key(name)
    key = re.sub(r"[\s\-/]+", "_", key)
    return key.strip("_")


# =========================================================================== field paths

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")
_MULTILINE = {"notes", "closing"}


@dataclass(frozen=True)
class FieldSpec:
    """A resolved target: canonical path, how to assign it, what kind of value it takes."""

    path: str
    steps: tuple[tuple[str, int | None], ...]
    kind: str  # text, int, float, bool, list, it_model, enum, extra


def _unwrap(tp):
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _leaf_kind(name: str, tp) -> str | None:
    if tp is str:
        return "text"
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is float:
        return "float"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "it_model" if name == "it_model" else "enum"
    return None


def resolve_field(target: str) -> FieldSpec:
    """Check a field path like ``size.users``, ``extra.Territory`` or ``decision_makers[0].name``.

    Short names deckgen understands in files are accepted too (``users`` ->
    ``size.users``, ``city`` -> ``location.city``), as is a ``prospect.`` prefix.
    Raises ValueError with a readable reason.
    """
    text = target.strip()
    if text.casefold().startswith("prospect."):
        text = text[len("prospect."):]
    if text[:6].casefold() == "extra." or text[:6].casefold() == "extra[":
        key = text[6:].strip()
        if text[5] == "[":
            key = key.rstrip("]").strip("'\" ")
        if not key:
            raise ValueError("'extra.' needs a name after it, e.g. extra.Territory")
        if len(key) > MAX_EXTRA_KEY:
            raise ValueError(f"the name after 'extra.' is longer than {MAX_EXTRA_KEY} characters")
        return FieldSpec(f"extra.{key}", (("extra", None), (key, None)), "extra")
    alias = _GENERIC_ALIASES.get(_gkey(text))
    if alias is not None:
        text = alias
    parts = text.split(".")
    model: type[BaseModel] | None = Prospect
    steps: list[tuple[str, int | None]] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        m = _STEP.fullmatch(part)
        where = ".".join(parts[:i + 1])
        if not m:
            raise ValueError(f"'{target}' is not a field path (like size.users or extra.Territory)")
        if model is None:
            raise ValueError(f"'{'.'.join(parts[:i])}' has no sub-fields")
        name, index = m.group(1), m.group(2)
        fields = model.model_fields
        if name not in fields:
            known = sorted(fields)
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(f"unknown field '{where}'; {hint}known here: {', '.join(known)}")
        tp = _unwrap(fields[name].annotation)
        origin = typing.get_origin(tp)
        if origin is list:
            item = _unwrap(typing.get_args(tp)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                if index is None:
                    raise ValueError(f"'{where}' is a list of people: give a position and a field, "
                                     f"e.g. {name}[0].name")
                if int(index) >= MAX_DECISION_MAKERS:
                    raise ValueError(f"'{where}': at most {MAX_DECISION_MAKERS} entries")
                if last:
                    raise ValueError(f"'{where}' is a group: name a field inside, e.g. {where}.name")
                steps.append((name, int(index)))
                model = item
                continue
            if index is not None or not last:
                raise ValueError(f"'{name}' is a list of text; map a column to '{name}' itself")
            steps.append((name, None))
            return FieldSpec(".".join(parts), tuple(steps), "list")
        if index is not None:
            raise ValueError(f"'{name}' is not a list; remove [{index}]")
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if last:
                sub = ", ".join(f"{where}.{f}" for f in tp.model_fields)
                raise ValueError(f"'{where}' is a group of fields: use one of {sub}")
            steps.append((name, None))
            model = tp
            continue
        if typing.get_origin(tp) is dict or tp is dict:
            raise ValueError(f"'{where}' needs a name, e.g. {where}.Territory")
        kind = _leaf_kind(name, tp)
        if kind is None:
            raise ValueError(f"'{where}' cannot be filled from a column")
        if not last:
            raise ValueError(f"'{where}' has no sub-fields")
        steps.append((name, None))
        return FieldSpec(".".join(parts), tuple(steps), kind)
    raise ValueError(f"'{target}' is not a field path")  # pragma: no cover - loop always returns


# deckgen's own short names (keys as _gkey makes them) -> field path.
_GENERIC_ALIASES: dict[str, str] = {
    "company": "company", "company_name": "company", "companyname": "company", "organization": "company",
    "organisation": "company", "organization_name": "company", "organisation_name": "company",
    "prospect": "company", "prospect_id": "id", "record_id": "id",
    "users": "size.users", "user_count": "size.users", "employees": "size.users",
    "number_of_employees": "size.users", "headcount": "size.users", "staff": "size.users",
    "endpoints": "size.endpoints", "devices": "size.endpoints", "sites": "size.sites",
    "city": "location.city", "town": "location.city", "region": "location.region",
    "state": "location.region", "province": "location.region", "country": "location.country",
    "annual_revenue": "numbers.annual_revenue", "revenue": "numbers.annual_revenue",
    "hourly_wage": "numbers.hourly_wage", "incidents_per_month": "numbers.incidents_per_month",
    "incidents": "numbers.incidents_per_month", "hours_per_incident": "numbers.hours_per_incident",
    "it_spend_per_month": "numbers.it_spend_per_month", "it_spend": "numbers.it_spend_per_month",
    "budget": "budget_per_user_month", "budget_per_user": "budget_per_user_month",
    "contact": "contact.name", "contact_name": "contact.name", "contact_email": "contact.email",
    "contact_phone": "contact.phone", "contact_title": "contact.title",
    "decision_maker": "decision_makers[0].name", "decision_maker_name": "decision_makers[0].name",
    "decision_maker_title": "decision_makers[0].title", "decision_maker_email": "decision_makers[0].email",
    "decision_maker_phone": "decision_makers[0].phone", "decision_maker_role": "decision_makers[0].role",
    "domain": "website", "url": "website", "web_site": "website",
    "pains": "pain_points", "pain": "pain_points", "pain_point": "pain_points",
    "situation": "situations", "closing_line": "closing", "note": "notes", "description": "notes",
    "sector": "industry", "vertical": "industry", "current_it": "it_model", "it_setup": "it_model",
}


# =========================================================================== presets

@dataclass(frozen=True)
class Preset:
    """How one CRM names its columns."""

    name: str
    label: str
    fields: dict[str, tuple[str, ...]]  # field path -> headers, best first
    patterns: dict[str, str] = field(default_factory=dict)  # field path -> regex on header_key()
    markers: tuple[str, ...] = ()  # headers that identify the export but feed no field
    marker_pattern: str | None = None  # regex on header_key() identifying the export


_HUBSPOT = Preset(
    name="hubspot", label="HubSpot",
    fields={
        "company": ("Company name", "Firmenname", "Unternehmensname", "Name des Unternehmens",
                    "Nom de l'entreprise", "Nom de la société", "Nom de l'entreprise (société)",
                    "Nombre de la empresa", "Nombre de empresa", "Nome da empresa", "Nome dell'azienda",
                    "Bedrijfsnaam"),
        "id": ("Record ID", "Company ID", "Datensatz-ID", "ID des Datensatzes", "ID de fiche d'informations",
               "ID de l'enregistrement", "ID de registro", "ID do registro", "ID record", "Record-ID"),
        "industry": ("Industry", "Branche", "Secteur d'activité", "Industrie", "Sector", "Industria",
                     "Setor", "Settore"),
        "website": ("Website URL", "Company Domain Name", "Website-URL", "Domainname des Unternehmens",
                    "Domain-Name des Unternehmens", "Unternehmensdomain", "URL du site web",
                    "Nom de domaine de l'entreprise", "URL del sitio web", "Nombre de dominio de la empresa",
                    "URL do site", "Nome de domínio da empresa"),
        "size.users": ("Number of Employees", "Anzahl der Mitarbeiter", "Anzahl der Mitarbeitenden",
                       "Anzahl Mitarbeiter", "Mitarbeiteranzahl", "Nombre d'employés", "Nombre de salariés",
                       "Número de empleados", "Número de funcionários", "Numero di dipendenti",
                       "Aantal werknemers"),
        "numbers.annual_revenue": ("Annual Revenue", "Jahresumsatz", "Chiffre d'affaires annuel",
                                   "Ingresos anuales", "Receita anual", "Fatturato annuo", "Jaaromzet"),
        "location.city": ("City", "Stadt", "Ort", "Ville", "Ciudad", "Cidade", "Città", "Plaats"),
        "location.region": ("State/Region", "Bundesland/Region", "Bundesland", "État/Région", "Région",
                            "Estado/Región", "Estado/Provincia", "Estado/Região", "Stato/Regione",
                            "Provincie/regio"),
        "location.country": ("Country/Region", "Country", "Land/Region", "Land", "Pays/Région", "Pays",
                             "País/Región", "País", "Paese/Regione", "Land/regio"),
        "notes": ("Description", "Beschreibung", "Descripción", "Descrição", "Descrizione"),
    },
    markers=("Company owner", "Create Date", "Last Activity Date", "Phone Number", "Lifecycle Stage",
             "Lead Status", "Associated Contact", "Associated Deal", "Time Zone", "Last Modified Date",
             "Unternehmensinhaber", "Zuständiger Mitarbeiter", "Erstelldatum", "Erstellungsdatum",
             "Datum der letzten Aktivität", "Telefonnummer", "Lifecycle-Phase",
             "Propriétaire de l'entreprise", "Date de création", "Date de dernière activité",
             "Numéro de téléphone", "Phase du cycle de vie", "Propietario de la empresa",
             "Fecha de creación", "Fecha de la última actividad", "Número de teléfono",
             "Etapa del ciclo de vida"),
)

_SALESFORCE = Preset(
    name="salesforce", label="Salesforce (Data Loader)",
    fields={
        "company": ("NAME",),
        "id": ("ID",),
        "industry": ("INDUSTRY",),
        "website": ("WEBSITE",),
        "size.users": ("NUMBEROFEMPLOYEES",),
        "numbers.annual_revenue": ("ANNUALREVENUE",),
        "location.city": ("BILLINGCITY", "SHIPPINGCITY"),
        "location.region": ("BILLINGSTATE", "SHIPPINGSTATE"),
        "location.country": ("BILLINGCOUNTRY", "SHIPPINGCOUNTRY", "BILLINGCOUNTRYCODE"),
        "notes": ("DESCRIPTION",),
    },
    markers=("ISDELETED", "MASTERRECORDID", "TYPE", "PARENTID", "BILLINGSTREET", "BILLINGPOSTALCODE",
             "BILLINGLATITUDE", "BILLINGLONGITUDE", "SHIPPINGSTREET", "SHIPPINGPOSTALCODE", "PHONE", "FAX",
             "ACCOUNTNUMBER", "SIC", "SICDESC", "OWNERSHIP", "TICKERSYMBOL", "RATING", "SITE", "OWNERID",
             "CREATEDDATE", "CREATEDBYID", "LASTMODIFIEDDATE", "LASTMODIFIEDBYID", "SYSTEMMODSTAMP",
             "LASTACTIVITYDATE", "LASTVIEWEDDATE", "LASTREFERENCEDDATE", "JIGSAW", "JIGSAWCOMPANYID",
             "ACCOUNTSOURCE", "PHOTOURL", "CLEANSTATUS", "DUNSNUMBER", "TRADESTYLE", "NAICSCODE",
             "NAICSDESC", "YEARSTARTED", "RECORDTYPEID", "CURRENCYISOCODE"),
)

_SALESFORCE_REPORT = Preset(
    name="salesforce_report", label="Salesforce report",
    fields={
        "company": ("Account Name",),
        "id": ("Account ID",),
        "industry": ("Industry",),
        "website": ("Website",),
        "size.users": ("Employees",),
        "numbers.annual_revenue": ("Annual Revenue",),
        "location.city": ("Billing City", "Shipping City"),
        "location.region": ("Billing State/Province", "Billing State/Province (text only)",
                            "Shipping State/Province", "Billing State"),
        "location.country": ("Billing Country", "Billing Country (text only)", "Shipping Country"),
        "notes": ("Description",),
    },
    markers=("Account Owner", "Type", "Billing Street", "Billing Zip/Postal Code", "Shipping Street",
             "Shipping Zip/Postal Code", "Phone", "Fax", "Rating", "Last Activity", "Last Modified Date",
             "Created Date", "Account Site", "Account Number", "Parent Account", "Account Source",
             "Ownership", "Ticker Symbol", "SIC Code", "Account Record Type", "Created By",
             "Last Modified By", "Account Owner Alias"),
)

_CONNECTWISE = Preset(
    name="connectwise", label="ConnectWise PSA",
    fields={
        "company": ("Company Name", "Company"),
        "id": ("Company ID", "Company RecID", "Company Rec ID"),
        "industry": ("Industry", "Market"),
        "website": ("Web Site", "Website"),
        "size.users": ("Number of Employees", "Employees", "Employee Count"),
        "numbers.annual_revenue": ("Annual Revenue", "Revenue"),
        "location.city": ("City",),
        "location.region": ("State", "State/Province"),
        "location.country": ("Country",),
        "contact.name": ("Default Contact", "Primary Contact"),
    },
    markers=("Phone Number", "Type", "Status", "Address Line 1", "Address Line 2", "Zip", "Territory",
             "Lead", "Currency Description", "Currency ID", "Account ID", "Tax Code", "Terms", "Vendor ID",
             "Entity Type", "Fax Number", "Site Name", "Company Type", "Company Status"),
)

_PIPEDRIVE = Preset(
    name="pipedrive", label="Pipedrive",
    fields={
        "company": ("Organization - Name", "Organisation - Name", "Deal - Organization",
                    "Deal - Organisation", "Person - Organization", "Person - Organisation",
                    "Lead - Organization", "Lead - Organisation"),
        "id": ("Organization - ID", "Organisation - ID"),
        "industry": ("Organization - Industry", "Organisation - Industry"),
        "website": ("Organization - Website", "Organisation - Website"),
        "size.users": ("Organization - Number of employees", "Organisation - Number of employees",
                       "Organization - Employee count", "Organisation - Employee count"),
        "numbers.annual_revenue": ("Organization - Annual revenue", "Organisation - Annual revenue"),
        "contact.name": ("Person - Name", "Deal - Contact person", "Lead - Contact person"),
        "contact.email": ("Person - Email (Work)", "Person - Email", "Person - Email (Other)",
                          "Person - Email (Home)"),
        "contact.phone": ("Person - Phone (Work)", "Person - Phone", "Person - Phone (Mobile)",
                          "Person - Phone (Other)", "Person - Phone (Home)"),
        "contact.title": ("Person - Job title",),
    },
    patterns={
        "location.city": r"^organi[sz]ation - .*\b(city|town|locality)\b",
        "location.region": r"^organi[sz]ation - .*\b(state|county|province|region)\b",
        "location.country": r"^organi[sz]ation - .*\bcountry\b",
    },
    markers=("Organization - Address", "Organization - Owner", "Organization - People",
             "Organization - Labels", "Organization - Label", "Organization - Open deals"),
    marker_pattern=r"^(organi[sz]ation|person|deal|lead|activity|product|note) - \S",
)

_ZOHO = Preset(
    name="zoho", label="Zoho CRM",
    fields={
        "company": ("Account Name",),
        "id": ("Record Id",),
        "industry": ("Industry",),
        "website": ("Website",),
        "size.users": ("Employees",),
        "numbers.annual_revenue": ("Annual Revenue",),
        "location.city": ("Billing City", "Shipping City"),
        "location.region": ("Billing State", "Shipping State"),
        "location.country": ("Billing Country", "Shipping Country"),
        "notes": ("Description",),
    },
    markers=("Account Owner", "Account Type", "Billing Street", "Billing Code", "Shipping Street",
             "Shipping Code", "Phone", "Fax", "Rating", "Account Number", "Account Site", "Parent Account",
             "Ticker Symbol", "Ownership", "SIC Code", "Created Time", "Modified Time", "Created By",
             "Modified By", "Last Activity Time", "Tag", "Layout", "Currency", "Exchange Rate"),
)

CRM_PRESETS: tuple[Preset, ...] = (_HUBSPOT, _SALESFORCE, _SALESFORCE_REPORT, _CONNECTWISE, _PIPEDRIVE, _ZOHO)
_GENERIC = Preset(name="generic", label="deckgen fields", fields={
    "company": ("company", "company_name", "company name", "organization", "organisation")})
PRESETS: dict[str, Preset] = {p.name: p for p in (*CRM_PRESETS, _GENERIC)}

# Headers too common to say which CRM wrote a file.
_WEAK = {header_key(h) for h in (
    "Name", "ID", "Id", "Record ID", "Industry", "Website", "Web Site", "Type", "Phone", "Phone Number",
    "Fax", "Rating", "Site", "Description", "Status", "City", "State", "Country", "Zip", "Employees",
    "Annual Revenue", "Revenue", "Company", "Company Name", "Number of Employees", "Currency", "Tag",
    "Market", "Account Name", "Account Owner", "Account ID", "Created By", "Ownership", "Account Number",
)}


def _known_keys(preset: Preset) -> set[str]:
    keys = {header_key(h) for headers in preset.fields.values() for h in headers}
    keys.update(header_key(h) for h in preset.markers)
    return keys


_KNOWN = {p.name: _known_keys(p) for p in CRM_PRESETS}
_DISTINCTIVE = {
    p.name: {k for k in _KNOWN[p.name]
             if k not in _WEAK and sum(k in _KNOWN[q.name] for q in CRM_PRESETS) == 1}
    for p in CRM_PRESETS
}


def _score(preset: Preset, keys: list[str]) -> tuple[int, int]:
    """(distinctive headers present, other known headers present)."""
    distinct = shared = 0
    pattern = re.compile(preset.marker_pattern) if preset.marker_pattern else None
    for key in keys:
        if key in _DISTINCTIVE[preset.name] or (pattern and pattern.match(key)):
            distinct += 1
        elif key in _KNOWN[preset.name]:
            shared += 1
    return distinct, shared


def _company_columns(preset: Preset, by_key: dict[str, str]) -> list[str]:
    return [by_key[header_key(h)] for h in preset.fields["company"] if header_key(h) in by_key]


def detect_preset(columns: list[str], *, company_mapped: bool = False) -> Preset | None:
    """The preset whose headers the columns match best; None when nothing fits."""
    by_key = {header_key(c): c for c in columns}
    keys = list(by_key)
    best, best_score = None, None
    for preset in CRM_PRESETS:
        if not company_mapped and not _company_columns(preset, by_key):
            continue
        score = _score(preset, keys)
        if best_score is None or score > best_score:
            best, best_score = preset, score
    if best is not None and best_score[0] >= 1:
        return best
    if _generic_company(columns):
        return _GENERIC
    if best is not None and best_score[1] >= 1 and not company_mapped:
        return best  # e.g. just 'Account Name' and 'Industry': read it the way that CRM means it
    return None


def _generic_company(columns: list[str]) -> str | None:
    for col in columns:
        if _GENERIC_ALIASES.get(_gkey(col)) == "company":
            return col
    return None


def _generic_field(column: str) -> FieldSpec | None:
    """deckgen's own name for a column, if it is one: 'users', 'size.users', 'extra.Territory', ..."""
    text = column.strip()
    if text[:6].casefold() in ("extra.", "extra["):
        try:
            return resolve_field(text)
        except ValueError:
            return None
    candidates = [text, text.casefold(), _gkey(text)]
    for candidate in candidates:
        try:
            return resolve_field(candidate)
        except ValueError:
            continue
    return None


# =========================================================================== user mappings

_IGNORE = {"", "-", "ignore", "skip", "none"}


def _check_target(target) -> str:
    if target is None or (isinstance(target, str) and target.strip().casefold() in _IGNORE):
        return ""
    if not isinstance(target, str):
        raise ValueError("the field must be text like company or size.users")
    return resolve_field(target).path


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """Read ``mapping.yaml``: ``{"Source Column": "field.path"}``; ``null`` or ``-`` ignores a column.

    The mapping may also sit under a top-level ``columns:`` key. Returns
    column -> canonical field path, with "" for ignored columns.
    """
    doc = load_yaml_file(path)
    data, base = doc.data, ()
    if isinstance(data, dict) and isinstance(data.get("columns"), dict) and len(data) <= 2:
        data, base = data["columns"], ("columns",)
    if data in (None, {}):
        return {}
    if not isinstance(data, dict):
        raise InputError("expected 'Source Column: field' lines, e.g. 'Account Name: company'",
                         file=str(path), line=1)
    out: dict[str, str] = {}
    for column, target in data.items():
        try:
            out[str(column).strip()] = _check_target(target)
        except ValueError as exc:
            raise InputError(str(exc), file=str(path), line=doc.line_of(base + (column,)),
                             field=str(column)) from None
    return out


def parse_map_options(items: list[str]) -> dict[str, str]:
    """Parse repeatable ``--map "Account Name=company"`` options (``--map "Phone="`` ignores a column)."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--map '{item}': expected 'Source Column=field', "
                             "e.g. --map \"Account Name=company\"")
        column, _, target = item.rpartition("=")
        column = column.strip()
        if not column:
            raise InputError(f"--map '{item}': the column name before '=' is empty")
        if column in out:
            raise InputError(f"--map: column '{column}' is mapped twice")
        try:
            out[column] = _check_target(target)
        except ValueError as exc:
            raise InputError(f"--map '{item}': {exc}") from None
    return out


# =========================================================================== open

def _normalise_crm(crm: str | None) -> str:
    name = (crm or "auto").strip().casefold().replace("-", "_").replace(" ", "_")
    aliases = {"sf": "salesforce", "salesforce_dataloader": "salesforce", "dataloader": "salesforce",
               "sfdc": "salesforce", "sf_report": "salesforce_report", "cw": "connectwise",
               "connectwise_psa": "connectwise", "zoho_crm": "zoho", "deckgen": "generic"}
    name = aliases.get(name, name)
    if name not in CRM_CHOICES:
        raise InputError(f"unknown --crm '{crm}'; choose one of: {', '.join(CRM_CHOICES)}")
    return name


def open_prospects(path: Path | str, *, crm: str = "auto", mapping: dict[str, str] | None = None,
                   encoding: str | None = None, sheet: str | None = None) -> ProspectSource:
    """Open a prospect list and decide how its columns map; rows are read when iterated.

    Raises InputError (naming the file and, where it applies, the column) for an
    unreadable or empty file, an undecodable encoding, NUL bytes, duplicate
    headers, a missing company-name column, an unknown ``crm`` or a bad mapping.
    """
    crm_name = _normalise_crm(crm)
    user_map: dict[str, str] = {}
    for column, target in (mapping or {}).items():
        try:
            user_map[str(column).strip()] = _check_target(target)
        except ValueError as exc:
            raise InputError(f"mapping '{column}': {exc}", field=str(column)) from None
    if crm_name == "mapping" and not user_map:
        raise InputError("--crm mapping needs a mapping (--map or --mapping FILE)")

    table = open_table(path, encoding=encoding, sheet=sheet)
    label = str(path)
    notes = list(table.warnings)
    resolved_user = _match_user_columns(user_map, table.columns, notes)
    company_mapped = "company" in resolved_user.values()

    if crm_name == "auto":
        preset = detect_preset(table.columns, company_mapped=company_mapped)
        if preset is None:
            if not company_mapped:
                raise _missing_company(label, table.columns, None)
            preset_name, preset = "mapping", None
        elif preset is _GENERIC and user_map and not _generic_company(table.columns):
            preset_name, preset = "mapping", None
        else:
            preset_name = preset.name
    elif crm_name == "mapping":
        preset_name, preset = "mapping", None
    else:
        preset_name, preset = crm_name, PRESETS[crm_name]

    slots, extra_cols, column_map = _plan(table.columns, preset, resolved_user, notes, label)
    if not any(s.spec.path == "company" for s in slots):
        raise _missing_company(label, table.columns, preset)
    mapper = _RowMapper(label, Path(path).parent, slots, extra_cols)
    return ProspectSource(path=Path(path), preset=preset_name, encoding=table.encoding,
                          columns=list(table.columns), warnings=notes, format=table.format,
                          column_map=column_map, _table=table, _mapper=mapper)


def _missing_company(label: str, columns: list[str], preset: Preset | None) -> InputError:
    found = ", ".join(f"'{c}'" for c in columns[:12]) + (" ..." if len(columns) > 12 else "")
    if preset is not None and preset is not _GENERIC:
        expected = f"'{preset.fields['company'][0]}' for a {preset.label} export"
    else:
        expected = ("one of 'Company name' (HubSpot), 'NAME' (Salesforce), 'Account Name' (Salesforce "
                    "report, Zoho), 'Company Name' (ConnectWise), 'Organization - Name' (Pipedrive) "
                    "or 'company'")
    return InputError(f"no company-name column: expected {expected}; found {found}. Name yours with "
                      "--map \"Your Column=company\"", file=label, field="company")


def _match_user_columns(user_map: dict[str, str], columns: list[str], notes: list[str]) -> dict[str, str]:
    """User mapping keyed by the file's real column names (matched ignoring case and accents)."""
    by_key = {header_key(c): c for c in columns}
    out: dict[str, str] = {}
    for column, target in user_map.items():
        real = column if column in columns else by_key.get(header_key(column))
        if real is None:
            notes.append(f"mapping: the file has no column '{column}'; that line of the mapping is unused")
            continue
        out[real] = target
    return out


@dataclass
class _Slot:
    spec: FieldSpec
    columns: list[str]
    origin: str  # "mapping", a preset name, or "generic"


def _plan(columns: list[str], preset: Preset | None, user: dict[str, str], notes: list[str],
          label: str) -> tuple[list[_Slot], list[str], dict[str, str]]:
    """Decide once which columns feed which field; the rest go to ``extra``."""
    slots: dict[str, _Slot] = {}
    claimed: set[str] = set()
    ignored = {c for c, t in user.items() if t == ""}
    claimed |= ignored
    for column, target in user.items():
        if target == "":
            continue
        spec = resolve_field(target)
        slots.setdefault(spec.path, _Slot(spec, [], "mapping")).columns.append(column)
        claimed.add(column)

    by_key: dict[str, str] = {header_key(c): c for c in columns}
    if preset is not None and preset is not _GENERIC:
        for path in dict.fromkeys([*preset.fields, *preset.patterns]):
            if path in slots:
                continue
            headers = preset.fields.get(path, ())
            found = [by_key[header_key(h)] for h in headers if header_key(h) in by_key]
            found = [c for c in dict.fromkeys(found) if c not in claimed]
            pattern = preset.patterns.get(path)
            if pattern:
                rx = re.compile(pattern)
                found += [c for c in columns if c not in claimed and c not in found and rx.match(header_key(c))]
            if found:
                slots[path] = _Slot(resolve_field(path), found, preset.name)
                claimed.update(found)

    for column in columns:  # deckgen's own names, understood in every file
        if column in claimed:
            continue
        spec = _generic_field(column)
        if spec is None:
            continue
        if spec.path in slots:
            if slots[spec.path].origin == "generic" and spec.kind == "list":
                slots[spec.path].columns.append(column)  # 'pain_points' and 'Pain points' both feed the list
                claimed.add(column)
            continue
        slots[spec.path] = _Slot(spec, [column], "generic")
        claimed.add(column)

    extra_taken = {s.spec.steps[1][0] for s in slots.values() if s.spec.kind == "extra"}
    extra_cols: list[str] = []
    for column in columns:
        if column in claimed:
            continue
        if column in extra_taken:
            notes.append(f"column '{column}' is not used: extra.{column} is filled from another column")
            continue
        if len(column) > MAX_EXTRA_KEY:
            raise InputError(f"a column name is longer than {MAX_EXTRA_KEY} characters; shorten it or "
                             "ignore the column with --map \"<name>=\"", file=label, field=column[:40] + "...")
        extra_cols.append(column)

    column_map: dict[str, str] = {}
    ordered = sorted(slots.values(), key=lambda s: (s.spec.path != "company", s.spec.path))
    for slot in ordered:
        for column in slot.columns:
            column_map[column] = slot.spec.path
    for column in extra_cols:
        column_map[column] = f"extra.{column}"
    for column in ignored:
        column_map[column] = ""
    return ordered, extra_cols, {c: column_map[c] for c in columns if c in column_map}


# =========================================================================== values

class _CellError(Exception):
    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


_NULLISH = {"n/a", "na", "#n/a", "-", "--", "?", "null", "nil", "none", "unknown", "tbd", "k.a.", "k. a."}
_CURRENCY_CODES = ("usd|eur|gbp|chf|cad|aud|nzd|jpy|cny|rmb|hkd|sgd|inr|sek|nok|dkk|pln|czk|huf|zar|brl|mxn|"
                   "aed|sar|krw|twd|ils|try|ron|bgn|isk")
_CURRENCY_RX = re.compile(rf"^(?:{_CURRENCY_CODES})\b\.?|\b(?:{_CURRENCY_CODES})\.?$")
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "tsd": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6,
                "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "mrd": 1e9}
_RANGE_RX = re.compile(r"^(.*?\d.*?)\s*(?:-|–|—|to|bis|à|a)\s*(\D*\d.*)$")


def parse_number(text: str) -> tuple[float, str | None]:
    """Read a number as CRMs and people write it; returns (value, note) or raises ValueError.

    Handles currency symbols and codes, ``1,234.5`` and ``1.234,5``, spaces and
    apostrophes as thousand separators, ``5M``/``2.5k``, ``5.0E7``,
    ``(1,234)`` as negative, ranges ``51-200`` (the middle, with a note) and
    ``500+`` (the bound, with a note).
    """
    try:
        return _plain_number(text), None
    except ValueError:
        pass
    s = unicodedata.normalize("NFKC", text).strip()
    m = re.fullmatch(r"(.*\d.*?)\s*\+|[>≥]\s*(.*\d.*)", s)
    if m:
        value = _plain_number(m.group(1) or m.group(2))
        return value, f"'{text.strip()}' read as {_fmt(value)}"
    m = _RANGE_RX.match(s)
    if m:
        low, high = _plain_number(m.group(1)), _plain_number(m.group(2))
        if high >= low:
            mid = (low + high) / 2
            return mid, f"'{text.strip()}' is a range; used the middle, {_fmt(mid)}"
    raise ValueError(text)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _plain_number(text: str) -> float:
    s = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = s.casefold().replace("r$", "")
    for _ in range(2):
        s = _CURRENCY_RX.sub("", s).strip()
    s = re.sub(r"[^\w\s.,'+\-]", "", s).strip()  # currency symbols: $ € £ ¥ ...
    mult = 1.0
    m = re.fullmatch(r"(.*\d)\s*([a-z]+)\.?", s)
    if m and not re.fullmatch(r"e\d*", m.group(2)):
        if m.group(2) not in _MULTIPLIERS:
            raise ValueError(text)
        s, mult = m.group(1), _MULTIPLIERS[m.group(2)]
    if s and s[0] in "+-":
        negative ^= s[0] == "-"
        s = s[1:].strip()
    s = s.replace(" ", "").replace("'", "").replace("_", "")
    m = re.fullmatch(r"([\d.,]*\d[\d.,]*?)(e[+-]?\d+)?", s)
    if not m or not m.group(1)[0].isdigit() and m.group(1)[0] not in ".,":
        raise ValueError(text)
    value = float(_decimal_point(m.group(1)) + (m.group(2) or "")) * mult
    if not value == value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return -value if negative else value


def _decimal_point(digits: str) -> str:
    """'1,234.5' / '1.234,5' / '1 234' / '1.500' -> a plain decimal number."""
    has_comma, has_dot = "," in digits, "." in digits
    if has_comma and has_dot:
        if digits.rfind(",") > digits.rfind("."):
            return digits.replace(".", "").replace(",", ".")
        return digits.replace(",", "")
    sep = "," if has_comma else "." if has_dot else None
    if sep is None:
        return digits
    parts = digits.split(sep)
    if len(parts) > 2:  # 1,234,567 or 1.234.567 (or Indian 1,23,456)
        if any(not p or len(p) > 3 for p in parts[1:]) or len(parts[-1]) != 3:
            raise ValueError(digits)
        return "".join(parts)
    head, tail = parts
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        return head + tail  # a thousands separator: 1,500 or 1.500
    return (head or "0") + "." + tail


_TRUE = {"true", "yes", "y", "1", "x", "ja", "j", "oui", "si", "sí", "wahr", "vrai", "verdadero", "t", "on",
         "checked"}
_FALSE = {"false", "no", "n", "0", "nein", "non", "falsch", "faux", "falso", "f", "off", "unchecked"}


def _parse_bool(text: str) -> bool:
    key = text.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(text)


_IT_MODELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co_managed", ("co managed", "comanaged", "co management", "hybrid")),
    ("break_fix", ("break fix", "breakfix", "break and fix", "break & fix", "ad hoc", "adhoc", "on demand",
                   "on call", "time and materials", "time & materials", "t&m", "pay as you go",
                   "hourly", "reactive")),
    ("other_msp", ("other msp", "another msp", "msp", "managed service", "managed services",
                   "managed it", "outsourced", "competitor")),
    ("in_house", ("in house", "inhouse", "internal", "own it", "own staff", "it staff", "it department",
                  "employee")),
    ("none", ("none", "no it", "nobody", "no one", "nothing", "diy", "do it yourself", "self managed",
              "self")),
    ("unknown", ("unknown", "n/a", "na", "?", "not known")),
)


def parse_it_model(text: str) -> str | None:
    """'Break/fix' -> 'break_fix', 'In-house IT' -> 'in_house'; None when it is not obvious."""
    key = header_key(text).replace("_", " ")
    key = re.sub(r"[/\-]+", " ", key)
    key = " ".join(key.split())
    for value, words in _IT_MODELS:
        if key == value.replace("_", " ") or key in words:
            return value
    for value, words in _IT_MODELS[:4]:  # phrases inside longer text: "break/fix via local shop"
        for word in words:
            if len(word) > 3 and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", key):
                return value
    return None


_LIST_SEPARATORS = re.compile(r"[;\n\r]+")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _joined(value: Cell) -> str:
    return value if isinstance(value, str) else "; ".join(value)


# =========================================================================== rows -> prospects

class _RowMapper:
    """Turns a RawRow into a RowResult with the plan decided at open time."""

    def __init__(self, label: str, base_dir: Path, slots: list[_Slot], extra_cols: list[str]) -> None:
        self.label = label
        self.base_dir = base_dir
        self.slots = slots
        self.extra_cols = extra_cols
        self.company_columns = next(s.columns for s in slots if s.spec.path == "company")

    def __call__(self, raw: RawRow) -> RowResult:
        row = raw.row
        raw_text = {k: _joined(v) for k, v in raw.cells.items()}
        warnings: list[str] = []
        if raw.problem:
            return self._fail(row, raw.problem, raw.problem_column, warnings, raw_text)
        data: dict = {}
        used: dict[str, str] = {}
        try:
            for slot in self.slots:
                value = self._value(slot, raw.cells, row, warnings, used)
                if value is not None:
                    _assign(data, slot.spec.steps, value)
            if self.extra_cols:
                extra = data.setdefault("extra", {})
                for column in self.extra_cols:
                    text = self._clean(_joined(raw.cells.get(column, "")), row, column, f"extra.{column}",
                                       warnings)
                    extra[column] = text.strip()
                    used[f"extra.{column}"] = column
            self._finish(data, row, warnings)
        except _CellError as exc:
            return self._fail(row, exc.message, exc.field, warnings, raw_text)
        try:
            prospect = Prospect.model_validate(data)
        except ValidationError as exc:
            message, where = self._explain(exc, used)
            return self._fail(row, message, where, warnings, raw_text)
        return RowResult(row, prospect, None, warnings, raw_text)

    # ------------------------------------------------------------------ helpers

    def _fail(self, row: int, message: str, where: str | None, warnings: list[str],
              raw: dict[str, str]) -> RowResult:
        return RowResult(row, None, InputError(message, file=self.label, row=row, field=where), warnings, raw)

    def _clean(self, text: str, row: int, column: str, path: str, warnings: list[str]) -> str:
        cleaned, changed = clean_text(text)
        if changed:
            warnings.append(f"row {row}, column '{column}' ({path}): removed control or invisible characters")
        return cleaned

    def _value(self, slot: _Slot, cells: dict[str, Cell], row: int, warnings: list[str],
               used: dict[str, str]):
        spec = slot.spec
        if spec.kind == "list":
            items: list[str] = []
            for column in slot.columns:
                value = cells.get(column, "")
                parts = value if isinstance(value, list) else _LIST_SEPARATORS.split(value)
                for part in parts:
                    part = self._clean(part, row, column, spec.path, warnings).strip()
                    if part:
                        items.append(part)
                        used.setdefault(spec.path, column)
            return items or None
        for column in slot.columns:
            value = _joined(cells.get(column, ""))
            if value.strip():
                break
        else:
            return None
        used[spec.path] = column
        text = self._clean(value, row, column, spec.path, warnings).strip()
        return self._convert(spec, text, column, row, warnings)

    def _convert(self, spec: FieldSpec, text: str, column: str, row: int, warnings: list[str]):
        kind = spec.kind
        if kind == "extra":
            return text
        if kind == "text":
            if spec.path not in _MULTILINE:
                text = " ".join(text.split())
            if spec.path == "currency":
                code = text.upper()
                if not re.fullmatch(r"[A-Z]{3}", code):
                    warnings.append(f"row {row}, column '{column}': '{_short(text)}' is not a three-letter "
                                    "currency code like EUR; ignored")
                    return None
                return code
            if spec.path == "locale":
                return text.replace("_", "-")
            return text
        if text.casefold() in _NULLISH and kind in ("int", "float", "bool"):
            return None
        if kind in ("int", "float"):
            try:
                value, note = parse_number(text)
            except ValueError:
                raise _CellError(f"'{_short(text)}' in column '{column}' is not a number", spec.path) from None
            if note:
                warnings.append(f"row {row}, column '{column}': {note}")
            if kind == "int":
                if not float(value).is_integer():
                    if note:  # the middle of a range
                        value = round(value)
                        warnings[-1] = (f"row {row}, column '{column}': '{_short(text)}' is a range; "
                                        f"used the middle, {int(value)}")
                    else:
                        raise _CellError(f"'{_short(text)}' in column '{column}' must be a whole number",
                                         spec.path)
                return int(value)
            return value
        if kind == "bool":
            try:
                return _parse_bool(text)
            except ValueError:
                raise _CellError(f"'{_short(text)}' in column '{column}' is not yes or no", spec.path) from None
        if kind == "it_model":
            value = parse_it_model(text)
            if value is None:
                warnings.append(f"row {row}, column '{column}': cannot tell the IT model from "
                                f"'{_short(text)}'; left as unknown (use break_fix, in_house, co_managed, "
                                "other_msp or none)")
            return value
        return text  # enum values: the model checks them

    def _finish(self, data: dict, row: int, warnings: list[str]) -> None:
        if not data.get("company"):
            cols = ", ".join(f"'{c}'" for c in self.company_columns)
            raise _CellError(f"no company name (column {cols} is empty)", "company")
        if not data.get("id"):
            data["id"] = str(row)
        contact = data.get("contact")
        if contact is not None and not contact.get("name"):
            if contact.get("email"):
                contact["name"] = contact["email"]
            else:
                warnings.append(f"row {row}: contact details without a contact name were left out")
                del data["contact"]
        people = data.get("decision_makers")
        if people is not None:
            kept = []
            for i, person in enumerate(people):
                if not person:
                    continue
                if not person.get("name"):
                    if person.get("email"):
                        person["name"] = person["email"]
                    else:
                        warnings.append(f"row {row}: decision maker {i + 1} has no name and was left out")
                        continue
                kept.append(person)
            data["decision_makers"] = kept
        logo = data.get("logo")
        if logo:
            try:
                data["logo"] = confine_logo(logo, self.base_dir)
            except InputError as exc:
                raise _CellError(exc.message, "logo") from None

    def _explain(self, exc: ValidationError, used: dict[str, str]) -> tuple[str, str | None]:
        errors = exc.errors(include_url=False)
        err = errors[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where = format_loc(loc) or None
        column = None
        for n in range(len(loc), 0, -1):
            column = used.get(format_loc(loc[:n]))
            if column:
                break
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        value = err.get("input")
        if kind == "string_too_long":
            message = f"too long: {len(value)} characters, at most {ctx.get('max_length')}"
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "missing":
            message = "field required"
        elif kind == "enum":
            message = f"'{_short(str(value))}' is not one of: {ctx.get('expected', '')}"
        elif kind == "string_pattern_mismatch":
            message = f"'{_short(str(value))}' does not have the expected form"
        else:
            msg = err.get("msg", "invalid value")
            message = msg[0].lower() + msg[1:]
            if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
                message = f"{_fmt(value) if isinstance(value, (int, float)) else value} is out of range: {message}"
        if column:
            message += f" (column '{column}')"
        more = len(errors) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        return message, where


def _assign(data: dict, steps: tuple[tuple[str, int | None], ...], value) -> None:
    node = data
    for name, index in steps[:-1]:
        if index is None:
            node = node.setdefault(name, {})
        else:
            items = node.setdefault(name, [])
            while len(items) <= index:
                items.append({})
            node = items[index]
    name, _ = steps[-1]
    node[name] = value
