"""How each CRM names its columns, and how headers are compared.

A :class:`Preset` lists, per prospect field, the headers one CRM export uses for it
(best first, translated where the CRM translates them), plus headers that identify the
export without feeding a field. ``GENERIC`` is deckgen's own field names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)


_MAX_KEY_CHARS = 256


def header_key(name: str) -> str:
    """How headers are compared: case, accents, quote style and spacing do not matter.

    A name longer than any CRM writes is only case-folded: NFKD can make one character 18, and a 1 MiB
    header cell took 10 s."""
    if len(name) > _MAX_KEY_CHARS:
        return " ".join(name.casefold().split())
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def field_key(name: str) -> str:
    """How a header is compared with deckgen's own names: 'Pain points' -> 'pain_points'."""
    key = header_key(name)
    key = re.sub(r"[\s\-/]+", "_", key)
    return key.strip("_")


@dataclass(frozen=True)
class Preset:
    """How one CRM names its columns."""

    name: str
    label: str
    fields: dict[str, tuple[str, ...]]  # field path -> headers, best first
    patterns: dict[str, str] = field(default_factory=dict)  # field path -> regex on header_key()
    markers: tuple[str, ...] = ()  # headers that identify the export but feed no field
    marker_pattern: str | None = None  # regex on header_key() identifying the export


# The tables below are laid out by hand, several headers a line: one per line would bury them.
# fmt: off
# deckgen's own short names (keys as field_key makes them) -> field path.
GENERIC_ALIASES: dict[str, str] = {
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

# Dynamics 365 "Export to Excel" (and its CSV): hidden "(Do Not Modify)" key columns first, then the view's
# columns by display name; addresses are "Address 1: City" and so on.
_DYNAMICS = Preset(
    name="dynamics", label="Dynamics 365",
    fields={
        "company": ("Account Name",),
        "id": ("(Do Not Modify) Account", "Account ID", "accountid"),
        "industry": ("Industry",),
        "website": ("Website",),
        "size.users": ("Number of Employees", "No. of Employees"),
        "numbers.annual_revenue": ("Annual Revenue",),
        "location.city": ("Address 1: City", "Address 1 City", "Address 1: Town/City"),
        "location.region": ("Address 1: State/Province", "Address 1 State/Province", "Address 1: County"),
        "location.country": ("Address 1: Country/Region", "Address 1: Country", "Address 1 Country/Region"),
        "contact.name": ("Primary Contact",),
        "contact.email": ("Email (Primary Contact) (Contact)", "Email (Primary Contact)"),
        "notes": ("Description",),
    },
    markers=("(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Main Phone", "Address 1: Street 1",
             "Address 1: Street 2", "Address 1: ZIP/Postal Code", "Address 1: Postal Code", "Relationship Type",
             "Owner", "Status Reason", "Created On", "Modified On", "Account Number", "Parent Account",
             "Currency", "Ownership", "Other Phone", "Email", "Account Rating", "Territory", "Originating Lead"),
    marker_pattern=r"^(\(do not modify\) |address [12]:)",
)

CRM_PRESETS: tuple[Preset, ...] = (
    _HUBSPOT, _SALESFORCE, _SALESFORCE_REPORT, _CONNECTWISE, _PIPEDRIVE, _ZOHO, _DYNAMICS,
)
GENERIC = Preset(name="generic", label="deckgen fields", fields={
    "company": ("company", "company_name", "company name", "organization", "organisation")})
PRESETS: dict[str, Preset] = {p.name: p for p in (*CRM_PRESETS, GENERIC)}
# fmt: on
