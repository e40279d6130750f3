"""Prospects from CRM exports: preset detection, column mapping, row errors, streaming."""

from __future__ import annotations

import codecs
import inspect
import itertools
import tracemalloc

import pytest

from deckgen.errors import DataWarning, InputError
from deckgen.load.crm.detection import detect_preset
from deckgen.load.crm.mapping import load_mapping_file, parse_map_options, resolve_field
from deckgen.load.crm.source import open_prospects
from deckgen.load.crm.values import parse_it_model, parse_number
from deckgen.model import ItModel


def write(tmp_path, name, text, encoding="utf-8", bom=b""):
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    return path


def csv_line(*cells, quote_all=True):
    return ",".join(f'"{c}"' if quote_all else c for c in cells) + "\r\n"


def ok(source):
    results = list(source)
    bad = [r.error for r in results if r.error]
    assert not bad, bad
    return [r.prospect for r in results]


# --------------------------------------------------------------------------- the five CRMs


def test_hubspot_companies_export_with_bom(tmp_path):
    header = csv_line(
        "Record ID",
        "Company name",
        "Company owner",
        "Create Date",
        "Phone Number",
        "Last Activity Date",
        "City",
        "Country/Region",
        "Industry",
        "Company Domain Name",
        "Number of Employees",
        "Annual Revenue",
        "State/Region",
    )
    rows = [
        csv_line(
            "18250364001",
            "Hengxin Logistics",
            "Ann Lee",
            "2025-11-02 10:14",
            "+44 20 7946 0000",
            "",
            "Leeds",
            "United Kingdom",
            "Logistics and Supply Chain",
            "hengxin.co.uk",
            "85",
            "12500000",
            "West Yorkshire",
        ),
        csv_line(
            "18250364002",
            "恒信物流有限公司",
            "Ann Lee",
            "2025-11-03 09:00",
            "",
            "",
            "上海",
            "China",
            "",
            "",
            "",
            "",
            "",
        ),
    ]
    path = write(
        tmp_path, "hubspot-crm-exports-all-companies-2026-01-05.csv", header + "".join(rows), bom=codecs.BOM_UTF8
    )
    source = open_prospects(path)
    assert source.preset == "hubspot" and source.encoding == "utf-8-sig"
    first, second = ok(source)
    assert first.id == "18250364001" and first.company == "Hengxin Logistics"
    assert first.size.users == 85 and first.numbers.annual_revenue == 12_500_000
    assert first.location.city == "Leeds" and first.location.region == "West Yorkshire"
    assert first.location.country == "United Kingdom" and first.website == "hengxin.co.uk"
    assert first.industry == "Logistics and Supply Chain"
    assert first.extra["Company owner"] == "Ann Lee" and first.extra["Last Activity Date"] == ""
    assert second.company == "恒信物流有限公司" and second.location.city == "上海"
    assert second.size.users is None and second.numbers.annual_revenue is None
    assert source.column_map["Company name"] == "company"
    assert source.column_map["Phone Number"] == "extra.Phone Number"


@pytest.mark.parametrize(
    "header,lang",
    [
        (
            (
                "Datensatz-ID",
                "Firmenname",
                "Unternehmensinhaber",
                "Stadt",
                "Land/Region",
                "Branche",
                "Anzahl der Mitarbeiter",
            ),
            "de",
        ),
        (
            (
                "ID de fiche d'informations",
                "Nom de l'entreprise",
                "Propriétaire de l'entreprise",
                "Ville",
                "Pays/région",
                "Secteur d'activité",
                "Nombre d'employés",
            ),
            "fr",
        ),
        (
            (
                "ID de registro",
                "Nombre de la empresa",
                "Propietario de la empresa",
                "Ciudad",
                "País/región",
                "Sector",
                "Número de empleados",
            ),
            "es",
        ),
    ],
)
def test_translated_hubspot_headers_are_recognised(tmp_path, header, lang):
    text = csv_line(*header) + csv_line("77", "Société Générale Services", "Ann", "Lyon", "France", "Banking", "1.250")
    source = open_prospects(write(tmp_path, f"{lang}.csv", text))
    assert source.preset == "hubspot"
    (p,) = ok(source)
    assert (p.id, p.company, p.location.city, p.location.country, p.industry, p.size.users) == (
        "77",
        "Société Générale Services",
        "Lyon",
        "France",
        "Banking",
        1250,
    )


def test_salesforce_data_loader_export_every_value_quoted(tmp_path):
    header = csv_line(
        "ID",
        "ISDELETED",
        "MASTERRECORDID",
        "NAME",
        "TYPE",
        "PARENTID",
        "BILLINGSTREET",
        "BILLINGCITY",
        "BILLINGSTATE",
        "BILLINGPOSTALCODE",
        "BILLINGCOUNTRY",
        "PHONE",
        "WEBSITE",
        "INDUSTRY",
        "ANNUALREVENUE",
        "NUMBEROFEMPLOYEES",
        "OWNERID",
        "SYSTEMMODSTAMP",
    )
    row1 = csv_line(
        "0015g00000AbCdEAAV",
        "false",
        "",
        "Burlington Textiles Corp of America",
        "Customer - Direct",
        "",
        "525 S. Lexington Ave",
        "Burlington",
        "NC",
        "27215",
        "USA",
        "(336) 222-7000",
        "www.burlington.com",
        "Apparel",
        "350000000.0",
        "9000",
        "0055g000001",
        "2026-01-04T10:00:00.000Z",
    )
    row2 = csv_line(
        "0015g00000AbCdFAAV",
        "false",
        "",
        "Dickenson plc",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "0055g000001",
        "2026-01-04T10:00:00.000Z",
    )
    source = open_prospects(write(tmp_path, "extract.csv", header + row1 + row2))
    assert source.preset == "salesforce"
    first, second = ok(source)
    assert first.id == "0015g00000AbCdEAAV" and first.company == "Burlington Textiles Corp of America"
    assert first.size.users == 9000 and first.numbers.annual_revenue == 350_000_000
    assert (first.location.city, first.location.region, first.location.country) == ("Burlington", "NC", "USA")
    assert first.extra["TYPE"] == "Customer - Direct"
    assert second.size.users is None and second.website == "" and second.extra["PHONE"] == ""


def test_salesforce_report_footer_is_ignored(tmp_path):
    text = (
        csv_line(
            "Account Owner",
            "Account Name",
            "Billing State/Province",
            "Type",
            "Billing City",
            "Billing Country",
            "Industry",
            "Employees",
            "Annual Revenue",
        )
        + csv_line(
            "Ann Lee",
            "Edge Communications",
            "TX",
            "Customer - Direct",
            "Austin",
            "USA",
            "Electronics",
            "1,000",
            "$139,000,000",
        )
        + csv_line(
            "Ann Lee",
            "Pyramid Construction Inc.",
            "",
            "Customer - Channel",
            "Paris",
            "France",
            "Construction",
            "2680",
            "€950.000.000",
        )
        + '""\r\n""\r\n"Grand Totals (2 records)"\r\n'
        + '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
        + '"Confidential Information - Do Not Distribute"\r\n'
        + '"Generated By:  Ann Lee  05/01/2026 09:12"\r\n"Acme Managed IT"\r\n'
    )
    source = open_prospects(write(tmp_path, "report1767600000000.csv", text))
    assert source.preset == "salesforce_report"
    first, second = ok(source)
    assert first.company == "Edge Communications" and first.location.region == "TX"
    assert first.size.users == 1000 and first.numbers.annual_revenue == 139_000_000
    assert second.numbers.annual_revenue == 950_000_000 and second.location.country == "France"
    assert first.id == "2" and second.id == "3"  # no ID column: the row number
    assert first.extra["Account Owner"] == "Ann Lee"


def test_connectwise_companies_export_keeps_territory_in_extra(tmp_path):
    text = (
        "Company Name,Company ID,Phone Number,Type,Status,City,Address Line 1,Address Line 2,State,Zip,"
        "Country,Territory,Market\r\n"
        "Northwind Dental,NorthwindDental,555-0100,Prospect,Active,Dayton,1 Main St,,OH,45402,United States,"
        "North,Healthcare\r\n"
    )
    source = open_prospects(write(tmp_path, "companies.csv", text))
    assert source.preset == "connectwise"
    (p,) = ok(source)
    assert p.id == "NorthwindDental" and p.company == "Northwind Dental"
    assert (p.location.city, p.location.region, p.location.country) == ("Dayton", "OH", "United States")
    assert p.industry == "Healthcare"
    assert p.extra["Territory"] == "North" and p.extra["Address Line 2"] == ""


def test_pipedrive_export_maps_organization_and_person(tmp_path):
    text = (
        "Organization - ID;Organization - Name;Organization - Address;Organization - Owner;"
        "Person - Name;Person - Email (Work);Person - Email (Home);Person - Phone (Work);"
        "Organization - City/town/village/locality of Address;Organization - Country of Address\n"
        "42;Brauerei Schmidt GmbH;Hauptstraße 1, 80331 München;Jonas;Eva Schmidt;;eva@example.de;"
        "+49 89 1234;München;Germany\n"
        "43;Bäckerei Lang;;Jonas;;;;;;\n"
    )
    source = open_prospects(write(tmp_path, "organizations-12345.csv", text))
    assert source.preset == "pipedrive"
    first, second = ok(source)
    assert first.id == "42" and first.company == "Brauerei Schmidt GmbH"
    assert first.contact.name == "Eva Schmidt" and first.contact.email == "eva@example.de"
    assert first.contact.phone == "+49 89 1234"
    assert first.location.city == "München" and first.location.country == "Germany"
    assert first.extra["Organization - Address"] == "Hauptstraße 1, 80331 München"
    assert second.contact is None


def test_zoho_accounts_export(tmp_path):
    text = csv_line(
        "Record Id",
        "Account Owner",
        "Account Name",
        "Phone",
        "Website",
        "Account Type",
        "Billing Street",
        "Billing City",
        "Billing State",
        "Billing Code",
        "Description",
    ) + csv_line(
        "zcrm_4876876000000457001",
        "Ravi",
        "Chapman Legal LLP",
        "555",
        "chapmanlegal.com",
        "Prospect",
        "1 High St",
        "Bristol",
        "",
        "BS1",
        "Two offices;\nno IT person",
    )
    source = open_prospects(write(tmp_path, "Accounts_2026_01_05.csv", text))
    assert source.preset == "zoho"
    (p,) = ok(source)
    assert p.id == "zcrm_4876876000000457001" and p.company == "Chapman Legal LLP"
    assert p.website == "chapmanlegal.com" and p.location.city == "Bristol"
    assert p.notes == "Two offices;\nno IT person"
    assert p.extra["Account Type"] == "Prospect"


def test_detection_tells_salesforce_report_from_zoho():
    assert (
        detect_preset(["Account Name", "Billing State/Province", "Billing Zip/Postal Code"]).name == "salesforce_report"
    )
    assert detect_preset(["Account Name", "Billing State", "Billing Code", "Account Type"]).name == "zoho"
    assert detect_preset(["Company Name", "Company ID", "Address Line 1"]).name == "connectwise"
    assert detect_preset(["Company name", "Record ID", "Company owner"]).name == "hubspot"
    assert detect_preset(["company", "users", "City"]).name == "generic"
    assert detect_preset(["Company Name", "City"]).name == "generic"  # nothing distinctive
    assert detect_preset(["Firm", "Town"]) is None


# --------------------------------------------------------------------------- encodings in CRM shape


def test_utf16_tab_separated_salesforce_report(tmp_path):
    text = "Account Name\tBilling City\tBilling Country\tEmployees\r\nSociété Générale\tParis\tFrance\t250\r\n"
    path = write(tmp_path, "report.xls.csv", text, "utf-16-le", codecs.BOM_UTF16_LE)
    source = open_prospects(path)
    assert source.encoding == "utf-16" and source.preset == "salesforce_report"
    (p,) = ok(source)
    assert p.company == "Société Générale" and p.size.users == 250


def test_cp1252_export_from_excel_keeps_accents_and_euro(tmp_path):
    text = "Company name;City;Annual Revenue\r\nCafé Crème SARL;Besançon;€ 1.234.567,89\r\n"
    source = open_prospects(write(tmp_path, "export.csv", text, "cp1252"))
    assert source.encoding == "cp1252" and any("Windows-1252" in w for w in source.warnings)
    (p,) = ok(source)
    assert p.company == "Café Crème SARL" and p.location.city == "Besançon"
    assert p.numbers.annual_revenue == pytest.approx(1_234_567.89)


# --------------------------------------------------------------------------- generic, JSON, YAML, XLSX


def test_generic_file_understands_deckgen_field_names(tmp_path):
    text = (
        "company,industry,users,city,country,pain_points,situations,compliance,closing,locale,it_model,"
        "budget_per_user_month,annual_revenue,hourly_wage,incidents_per_month,contact_name,contact_email,id\n"
        'Acme Dental,Dental,"1,200",Leeds,UK,"slow Wi-Fi; no backups\nphishing",Break Fix;price shopper,'
        'HIPAA,walk_calm,en_GB,Break/fix,"$95.50",2.5M,38,6,Dr Jane Roe,jane@acme.example,ACME-1\n'
    )
    source = open_prospects(write(tmp_path, "prospects.csv", text))
    assert source.preset == "generic"
    (p,) = ok(source)
    assert p.id == "ACME-1" and p.size.users == 1200 and p.location.country == "UK"
    assert p.pain_points == ["slow Wi-Fi", "no backups", "phishing"]
    assert p.situations == ["break_fix", "price_shopper"] and p.compliance == ["HIPAA"]
    assert p.it_model is ItModel.break_fix and p.locale == "en-GB"
    assert p.budget_per_user_month == 95.5 and p.numbers.annual_revenue == 2_500_000
    assert p.numbers.hourly_wage == 38 and p.numbers.incidents_per_month == 6
    assert p.contact.name == "Dr Jane Roe" and p.contact.email == "jane@acme.example"
    assert p.closing == "walk_calm" and p.extra == {}


def test_crm_export_also_understands_deckgen_columns_added_to_it(tmp_path):
    text = csv_line("Record ID", "Company name", "Company owner", "Pain points", "IT model") + csv_line(
        "1", "Acme", "Ann", "slow;old", "In-house IT"
    )
    (p,) = ok(open_prospects(write(tmp_path, "h.csv", text)))
    assert p.pain_points == ["slow", "old"] and p.it_model is ItModel.in_house


def test_xlsx_hubspot_export(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Record ID", "Company name", "Company owner", "Number of Employees", "Annual Revenue", "City"])
    ws.append([18250364001, "恒信物流有限公司", "Ann", 12.0, 2500000.0, "上海"])
    ws.append([18250364002, "Acme", "Ann", None, None, None])
    path = tmp_path / "hubspot.xlsx"
    wb.save(path)
    source = open_prospects(path)
    assert source.preset == "hubspot" and source.format == "xlsx"
    first, second = ok(source)
    assert first.id == "18250364001" and first.size.users == 12 and first.numbers.annual_revenue == 2_500_000
    assert second.size.users is None


def test_json_list_in_deckgen_shape(tmp_path):
    path = write(
        tmp_path,
        "p.json",
        '[{"company": "Acme", "size": {"users": 40, "sites": 2},'
        ' "pain_points": ["no backups", "slow"],'
        ' "decision_makers": [{"name": "Jo", "role": "economic_buyer"}],'
        ' "it_pain": true, "extra": {"Territory": "North"}}]',
    )
    source = open_prospects(path)
    (p,) = ok(source)
    assert p.size.users == 40 and p.size.sites == 2 and p.pain_points == ["no backups", "slow"]
    assert p.decision_makers[0].name == "Jo" and p.decision_makers[0].role == "economic_buyer"
    assert p.it_pain is True and p.extra == {"Territory": "North"} and p.id == "1"


def test_yaml_list_with_a_bad_item_reports_it_and_goes_on(tmp_path):
    path = write(
        tmp_path,
        "p.yaml",
        "- company: Acme\n  users: 12\n- just text\n- company: Beta\n  users: lots\n- company: Gamma\n",
    )
    results = list(open_prospects(path))
    assert [r.row for r in results] == [1, 2, 3, 4]
    assert results[0].prospect.size.users == 12
    assert "expected an object" in results[1].error.message
    assert results[2].error.field == "size.users" and "'lots'" in results[2].error.message
    assert results[3].prospect.company == "Gamma"


# --------------------------------------------------------------------------- row errors


def test_a_row_without_company_is_a_row_error_and_the_stream_goes_on(tmp_path):
    text = (
        csv_line("Record ID", "Company name", "Company owner") + csv_line("1", "", "Ann") + csv_line("2", "Beta", "Ann")
    )
    path = write(tmp_path, "h.csv", text)
    first, second = list(open_prospects(path))
    assert first.prospect is None and first.row == 2
    err = first.error
    assert isinstance(err, InputError) and err.row == 2 and err.field == "company" and err.file == str(path)
    assert "'Company name' is empty" in err.message
    assert first.raw == {"Record ID": "1", "Company name": "", "Company owner": "Ann"}
    assert second.prospect.company == "Beta"


def test_a_bad_number_is_a_row_error_naming_field_and_column(tmp_path):
    text = csv_line("Company name", "Record ID", "Number of Employees") + csv_line("Acme", "1", "about fifty")
    (r,) = list(open_prospects(write(tmp_path, "h.csv", text)))
    assert r.error.field == "size.users" and r.error.row == 2
    assert "'about fifty' in column 'Number of Employees' is not a number" in str(r.error)


def test_a_number_over_the_model_limit_is_a_row_error(tmp_path):
    text = "company,users\nAcme,20000000\nBeta,12.5\n"
    first, second = list(open_prospects(write(tmp_path, "p.csv", text)))
    assert first.error.field == "size.users" and "out of range" in first.error.message
    assert "(column 'users')" in first.error.message
    assert second.error.field == "size.users" and "whole number" in second.error.message


def test_a_200_kib_description_reads_but_is_over_the_notes_limit(tmp_path):
    big = "word " * (40 * 1024)
    text = (
        csv_line("Record Id", "Account Name", "Account Type", "Billing Code", "Description")
        + csv_line("1", "Acme", "Prospect", "X1", big)
        + csv_line("2", "Beta", "Prospect", "X2", "fine")
    )
    first, second = list(open_prospects(write(tmp_path, "zoho.csv", text)))
    assert len(first.raw["Description"]) == len(big)
    assert first.error.field == "notes" and "at most 20000" in first.error.message
    assert second.prospect.notes == "fine"


def test_an_oversized_extra_column_is_a_row_error_naming_it(tmp_path):
    text = "company,Remarks\nAcme," + "x" * 25_000 + "\n"
    (r,) = list(open_prospects(write(tmp_path, "p.csv", text)))
    assert r.error.field == "extra.Remarks"


def test_a_ragged_row_with_too_many_cells_is_a_row_error(tmp_path):
    text = "company,city\nAcme, Inc,Paris\nBeta,Lyon\n"
    first, second = list(open_prospects(write(tmp_path, "p.csv", text)))
    assert first.error.row == 2 and first.error.field == "company"
    assert "3 cells but the header has 2" in first.error.message
    assert """(likely in 'company': "Acme" / " Inc")""" in first.error.message
    assert second.prospect.location.city == "Lyon"


def test_control_characters_are_cleaned_with_a_warning_naming_row_and_field(tmp_path):
    text = "company,city,Territory\nAc\x07me\u202e,Par\x1bis,No\x0brth\n"
    (r,) = list(open_prospects(write(tmp_path, "p.csv", text)))
    assert r.prospect.company == "Acme" and r.prospect.location.city == "Paris"
    assert r.prospect.extra["Territory"] == "North"
    assert any("row 2" in w and "(company)" in w for w in r.warnings)
    assert any("(location.city)" in w for w in r.warnings)
    assert any("(extra.Territory)" in w for w in r.warnings)


def test_row_warnings_are_typed_and_read_as_before(tmp_path):
    text = "company,employees,city\nAc\x07me,51-200,Paris\n"
    (r,) = list(open_prospects(write(tmp_path, "p.csv", text)))
    assert all(isinstance(w, DataWarning) and w.row == 2 for w in r.diagnostics)
    assert (
        [str(w) for w in r.diagnostics]
        == r.warnings
        == [
            "row 2, column 'company' (company): removed control or invisible characters",
            "row 2, column 'employees': '51-200' is a range; used the middle, 126",
        ]
    )
    assert [w.column for w in r.diagnostics] == ["company", "employees"]


def test_file_warnings_are_typed_too(tmp_path):
    source = open_prospects(write(tmp_path, "p.csv", "company\nAcme\n"), mapping={"Territory": "extra.Territory"})
    assert [type(w) for w in source.diagnostics] == [DataWarning]
    assert source.warnings == ["mapping: the file has no column 'Territory'; that line of the mapping is unused"]


def test_an_unclear_it_model_is_a_warning_not_an_error(tmp_path):
    (r,) = list(open_prospects(write(tmp_path, "p.csv", "company,it_model\nAcme,cousin Vinny\n")))
    assert r.prospect.it_model is ItModel.unknown and any("cousin Vinny" in w for w in r.warnings)


def test_an_employee_range_uses_the_middle_with_a_warning(tmp_path):
    (r,) = list(open_prospects(write(tmp_path, "p.csv", 'company,employees\nAcme,"51-200"\n')))
    assert r.prospect.size.users == 126 and any("range" in w and "126" in w for w in r.warnings)


# --------------------------------------------------------------------------- file-level errors


def test_missing_company_column_is_refused_before_any_row(tmp_path):
    path = write(tmp_path, "p.csv", "Firm,Town\nAcme,Paris\n")
    with pytest.raises(InputError) as info:
        open_prospects(path)
    err = info.value
    assert err.file == str(path) and err.field == "company"
    assert "'Firm', 'Town'" in err.message and "--map" in err.message


def test_an_explicit_crm_without_its_company_column_is_refused(tmp_path):
    path = write(tmp_path, "p.csv", "Firm,city\nAcme,Paris\n")
    with pytest.raises(InputError, match="'Company name' for a HubSpot export"):
        open_prospects(path, crm="hubspot")


def test_an_explicit_crm_is_used_without_detection(tmp_path):
    text = "Company Name,City,Territory\nAcme,Paris,West\n"
    source = open_prospects(write(tmp_path, "p.csv", text), crm="connectwise")
    assert source.preset == "connectwise"
    (p,) = ok(source)
    assert p.location.city == "Paris" and p.extra == {"Territory": "West"}


def test_an_unknown_crm_is_refused(tmp_path):
    with pytest.raises(InputError, match="unknown --crm 'sugarcrm'"):
        open_prospects(write(tmp_path, "p.csv", "company\nA\n"), crm="sugarcrm")


def test_duplicate_headers_are_refused_naming_the_file_and_a_nul_byte_fails_its_row(tmp_path):
    path = write(tmp_path, "p.csv", "company,Company\nA,B\n")
    with pytest.raises(InputError) as info:
        open_prospects(path)
    assert info.value.file == str(path) and "duplicate column name" in str(info.value)
    nul = tmp_path / "n.csv"
    nul.write_bytes(b"company\nOK Ltd\nA\x00\n")
    results = list(open_prospects(nul))
    assert results[0].prospect is not None and results[0].prospect.company == "OK Ltd"
    assert results[1].prospect is None and "NUL" in str(results[1].error)


# --------------------------------------------------------------------------- user mappings


def test_a_user_mapping_overrides_and_extends_the_preset(tmp_path):
    text = csv_line(
        "Record ID", "Company name", "Company owner", "Legal Name", "Seats", "Region Code", "Phone Number"
    ) + csv_line("1", "Acme", "Ann", "Acme Holdings Ltd", "45", "N", "555")
    mapping = parse_map_options(
        ["Legal Name=company", "Seats=size.users", "Region Code=extra.Territory", "Phone Number="]
    )
    source = open_prospects(write(tmp_path, "h.csv", text), mapping=mapping)
    assert source.preset == "hubspot"
    (p,) = ok(source)
    assert p.company == "Acme Holdings Ltd" and p.size.users == 45
    assert p.extra == {"Company name": "Acme", "Company owner": "Ann", "Territory": "N"}
    assert source.column_map["Phone Number"] == ""


def test_a_mapping_makes_an_unknown_export_readable(tmp_path):
    text = "Firm;Town;Head count;Notes 1;Notes 2\nAcme;Paris;12;a;b\n"
    mapping = {
        "firm": "company",
        "Town": "city",
        "Head count": "users",
        "Notes 1": "pain_points",
        "Notes 2": "pain_points",
    }
    source = open_prospects(write(tmp_path, "p.csv", text), mapping=mapping)
    assert source.preset == "mapping"
    (p,) = ok(source)
    assert (p.company, p.location.city, p.size.users, p.pain_points) == ("Acme", "Paris", 12, ["a", "b"])


def test_a_mapping_naming_a_missing_column_warns(tmp_path):
    source = open_prospects(write(tmp_path, "p.csv", "company\nA\n"), mapping={"Territory": "extra.Territory"})
    assert any("no column 'Territory'" in w for w in source.warnings)


def test_crm_mapping_needs_a_mapping(tmp_path):
    with pytest.raises(InputError, match="needs a mapping"):
        open_prospects(write(tmp_path, "p.csv", "company\nA\n"), crm="mapping")


def test_a_mapping_file_is_read_and_bad_fields_name_the_line(tmp_path):
    good = write(
        tmp_path,
        "mapping.yaml",
        "Account Name: company\nSeats: size.users\nRegion: extra.Territory\nPhone: null\nHQ: prospect.location.city\n",
    )
    assert load_mapping_file(good) == {
        "Account Name": "company",
        "Seats": "size.users",
        "Region": "extra.Territory",
        "Phone": "",
        "HQ": "location.city",
    }
    nested = write(tmp_path, "m2.yaml", "columns:\n  Firm: company\n")
    assert load_mapping_file(nested) == {"Firm": "company"}
    bad = write(tmp_path, "bad.yaml", "Account Name: company\nSeats: size.user\n")
    with pytest.raises(InputError) as info:
        load_mapping_file(bad)
    assert info.value.line == 2 and info.value.field == "Seats" and "did you mean 'users'" in str(info.value)


@pytest.mark.parametrize(
    "item,message",
    [
        ("Account Name", "expected 'Source Column=field'"),
        ("=company", "column name before '=' is empty"),
        ("X=size", "is a group of fields"),
        ("X=decision_makers.name", "give a position"),
        ("X=extra.", "needs a name"),
        ("X=shoe_size", "unknown field"),
    ],
)
def test_bad_map_options_are_refused(item, message):
    with pytest.raises(InputError, match=message):
        parse_map_options([item])


def test_map_options_accept_equals_signs_in_column_names_and_reject_repeats():
    assert parse_map_options(["A=B=company", "Budget (=€)=budget"]) == {
        "A=B": "company",
        "Budget (=€)": "budget_per_user_month",
    }
    with pytest.raises(InputError, match="mapped twice"):
        parse_map_options(["A=company", "A=city"])


# --------------------------------------------------------------------------- value parsing


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("$1,234", 1234),
        ("EUR 1.234,50", 1234.5),
        ("1 234,5 €", 1234.5),
        ("CHF 1'234.50", 1234.5),
        ("5M", 5e6),
        ("2.5k", 2500),
        ("5.0E7", 5e7),
        ("12.0", 12),
        ("0.5", 0.5),
        ("(1,234)", -1234),
        ("1,234,567", 1234567),
        ("12,5", 12.5),
        ("£950.000.000", 950e6),
    ],
)
def test_numbers_are_read_in_the_forms_crms_write(text, value):
    assert parse_number(text)[0] == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "12 apples", "1..2", ""])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "text,value",
    [
        ("Break/fix", "break_fix"),
        ("break-fix with a local shop", "break_fix"),
        ("In-house IT", "in_house"),
        ("Co-managed", "co_managed"),
        ("Another MSP", "other_msp"),
        ("None", "none"),
        ("no IT", "none"),
        ("other_msp", "other_msp"),
        ("whatever", None),
    ],
)
def test_it_model_is_read_where_obvious(text, value):
    assert parse_it_model(text) == value


def test_field_paths_resolve_with_aliases():
    assert resolve_field("users").path == "size.users"
    assert resolve_field("prospect.location.city").path == "location.city"
    assert resolve_field("extra.Territory (2026)").path == "extra.Territory (2026)"
    assert resolve_field("decision_makers[1].role").kind == "text"
    assert resolve_field("numbers.annual_revenue").kind == "float"
    with pytest.raises(ValueError):
        resolve_field("decision_makers[99].name")


# --------------------------------------------------------------------------- streaming


@pytest.mark.slow
def test_a_large_export_is_streamed_not_materialised(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write('"Record ID","Company name","Company owner","City","Number of Employees"\r\n')
        fh.writelines(f'"{i}","Company {i}","Ann","Leeds","{i % 500}"\r\n' for i in range(50_000))
    source = open_prospects(path)
    stream = iter(source)
    assert inspect.isgenerator(stream)
    first = list(itertools.islice(stream, 3))
    assert [r.prospect.company for r in first] == ["Company 0", "Company 1", "Company 2"]
    stream.close()

    tracemalloc.start()
    try:
        count = 0
        last = None
        for result in source:
            assert result.error is None
            count += 1
            last = result.row
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_000 and last == 50_001
    assert peak < 8 * 1024 * 1024  # 50,000 prospects held at once would need far more


def test_a_source_can_be_iterated_twice(tmp_path):
    source = open_prospects(write(tmp_path, "p.csv", "company\nA\nB\n"))
    assert [r.prospect.company for r in source] == ["A", "B"]
    assert [r.prospect.company for r in source] == ["A", "B"]


def test_count_includes_bad_rows_and_matches_what_iterating_yields(tmp_path):
    source = open_prospects(write(tmp_path, "p.csv", "company,users\nA,1\n,2\nC,lots\n\nD,4\n"))
    results = list(source)
    assert [r.error is None for r in results] == [True, False, False, True]
    assert source.count() == len(results) == 4
