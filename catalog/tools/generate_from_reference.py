#!/usr/bin/env python3
"""One-off import of the union catalogue into catalog/v1 — kept as a record, not a build step.

This script read /work/shared/reference/catalog-union.md once (sections 2–22: 21 section keys,
91 items, 854 field rows) and wrote catalog/v1/catalog.toml and catalog/v1/items/<section>.toml.
**The TOML files are now the source of truth.** Edit them directly to add or change an item or a
field (see catalog/README.md) and check them with `python3 catalog/check_catalog.py`. Re-running
this script would overwrite hand edits made since; it refuses to write into an existing
directory unless given --force.

Everything that needs judgement is in the hand-written tables below (JUDGEMENT, SECTION_LABELS,
SOURCE_UNITS, COMPOUND, MONEY / NOT_MONEY, FIELD_OVERRIDES, ADDED_SUBJECT_FIELDS): every one of
the 91 items has its own reviewed entry; the script fails if an item lacks one. Only the mechanical
part (field rows, types, docs, sensitivity mapping) is derived from the reference text.

Usage: python3 catalog/tools/generate_from_reference.py [--reference MD] [--out DIR] [--force]
Standard library only.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_REF = Path("/work/shared/reference/catalog-union.md")
DEFAULT_OUT = HERE.parent / "v1"
ALL_DOCS = ["000", "001", "002", "003", "004"]

# --------------------------------------------------------------------------------------------
# Parsing the reference
# --------------------------------------------------------------------------------------------
SEC_RE = re.compile(r"^## (\d+)\. `([a-z_]+)` — (.+)$")
ITEM_RE = re.compile(r"^### (\d+\.\d+) (.+?) — `([a-z_0-9]+\.[a-z_0-9]+)`$")
BULLET_RE = re.compile(r"^- \*\*(.+?):\*\* (.*)$")
ROW_RE = re.compile(r"^\| (\d+) \| (.+?) \| `([^`]+)` \| (.+?) \| (.+?) \| (.+?) \| (.*?) \|$")
DOCS_SUFFIX_RE = re.compile(r"\s*\((?:\d{3}(?:–\d{3})?(?:, )?)+\)$")
# "A — 000, 002; B — 001" -> ["A — 000, 002", "B — 001"]; "; " inside a parenthesis is not a break.
PART_SPLIT_RE = re.compile(r"(?<=\d{3}); ")


def expand_docs(text):
    out = []
    for m in re.finditer(r"(\d{3})(?:–(\d{3}))?", text):
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        out += [f"{d:03d}" for d in range(a, b + 1)]
    return sorted(set(out))


def parse_reference(path):
    sections, items = [], []
    sec = item = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = SEC_RE.match(line)
        if m:
            sec = {"key": m.group(2), "heading": m.group(3).strip()}
            sections.append(sec)
            item = None
            continue
        if line.startswith("## "):
            sec = item = None
            continue
        m = ITEM_RE.match(line)
        if m and sec:
            item = {"label": m.group(2).strip(), "key": m.group(3), "section": sec["key"],
                    "bullets": {}, "notes": [], "rows": []}
            items.append(item)
            continue
        m = BULLET_RE.match(line)
        if m and item:
            if m.group(1) == "Note":
                item["notes"].append(m.group(2).strip())
            else:
                item["bullets"][m.group(1)] = m.group(2).strip()
            continue
        m = ROW_RE.match(line)
        if m and item:
            item["rows"].append({"label": m.group(2).strip(), "key": m.group(3).strip(),
                                 "type": m.group(4).strip(), "sens": m.group(5).strip(),
                                 "docs": m.group(6).strip(), "note": m.group(7).strip()})
    return sections, items


# --------------------------------------------------------------------------------------------
# Hand-reviewed tables
# --------------------------------------------------------------------------------------------
# Section labels: one 信息种类 per section, the other spellings of the texts kept as aliases.
SECTION_LABELS = {
    "environment": ("生态环境领域信息", ["环境领域信息"]),
    "intellectual_property": ("知识产权信息", ["商标和专利信息", "商标信息"]),
    "real_estate": ("不动产信息", ["不动产登记信息"]),
    "utilities": ("水电气费缴纳信息", ["水电费缴纳信息", "水气费缴纳信息"]),
    # The texts file the medical items under 社会保险信息 too; the catalogue splits them out
    # (different source unit), so the label says which part this is.
    "medical_insurance": ("社会保险信息（医疗保险）", ["社会保险信息"]),
}

# 责任单位 / 信息来源单位 cells -> units. Cells not listed are one unit. Enumerations of units
# are split at 、/，; a "牵头 … 按照职责分工负责" statement and a group such as
# "各县区、管理区、开发区" stay whole because their parts mean nothing alone.
SOURCE_UNITS = {
    "省机关事务管理局，市、县级政府": ["省机关事务管理局", "市、县级政府"],
    "市人力资源社会保障局、市税务局": ["市人力资源社会保障局", "市税务局"],
    "市供水公司、各县区、管理区、开发区": ["市供水公司", "各县区、管理区、开发区"],
    "信阳富地燃气公司、弘昌燃气公司、各县区、管理区、开发区":
        ["信阳富地燃气公司", "弘昌燃气公司", "各县区、管理区、开发区"],
    "市科技局、工业和信息化局、市场监管局、人力资源社会保障局、各县区、管理区、开发区":
        ["市科技局", "工业和信息化局", "市场监管局", "人力资源社会保障局", "各县区、管理区、开发区"],
    "市科技局、市工信局、市市场监管局、市人社局": ["市科技局", "市工信局", "市市场监管局", "市人社局"],
    "市科技局、市工业和信息化局、市市场监督局、市人力资源和社会保障局":
        ["市科技局", "市工业和信息化局", "市市场监督局", "市人力资源和社会保障局"],
    "市科技局、工业和信息化局、市场监管局、人力资源社会保障局":
        ["市科技局", "工业和信息化局", "市场监管局", "人力资源社会保障局"],
    "市工业和信息化局、科技局、各县区、管理区、开发区":
        ["市工业和信息化局", "科技局", "各县区、管理区、开发区"],
    "市工信局、市科技局": ["市工信局", "市科技局"],
    "市农业农村局、人行平顶山市中心支行、平顶山银保监分局、市市场监管局":
        ["市农业农村局", "人行平顶山市中心支行", "平顶山银保监分局", "市市场监管局"],
    "市农业农村局、人行信阳中心支行、信阳银保监分局、市市场监管局":
        ["市农业农村局", "人行信阳中心支行", "信阳银保监分局", "市市场监管局"],
    "市农委 市市场监管局": ["市农委", "市市场监管局"],
    "市农业农村局、各县区、管理区、开发区": ["市农业农村局", "各县区、管理区、开发区"],
    "市农业农村局，有涉农主体的区县（市）农业农村部门":
        ["市农业农村局", "有涉农主体的区县（市）农业农村部门"],
    "市农业农村局，有涉农主体的区县（市）农业农村部门、资源规划部门":
        ["市农业农村局", "有涉农主体的区县（市）农业农村部门、资源规划部门"],
    "市农业农村局、信阳金融监管分局、各县区、管理区、开发区":
        ["市农业农村局", "信阳金融监管分局", "各县区、管理区、开发区"],
    "市农业农村局、市财政局，有涉农主体的区县（市）农业农村部门":
        ["市农业农村局", "市财政局", "有涉农主体的区县（市）农业农村部门"],
    "市公共资源交易中心、市财政局、市自然资源和规划局，各县（市、区）政府（管委会）":
        ["市公共资源交易中心", "市财政局", "市自然资源和规划局", "各县（市、区）政府（管委会）"],
    "市公共资源交易中心，县区级政府": ["市公共资源交易中心", "县区级政府"],
    "市公共资源交易中心, 各开发区管委会、区县(市)人民政府":
        ["市公共资源交易中心", "各开发区管委会", "区县(市)人民政府"],
    "市公共资源交易中心、各县区、管理区、开发区": ["市公共资源交易中心", "各县区、管理区、开发区"],
    "市卫生健康委、市场监管局": ["市卫生健康委", "市场监管局"],
    "市教体局、市场监管局、科技局、文化广电旅游局": ["市教体局", "市场监管局", "科技局", "文化广电旅游局"],
}
WHOLE_UNITS = {  # cells deliberately kept as one string
    "省级层面统一共享", "国家层面统一共享", "市发展改革委牵头，各级、各部门按照职责分工负责",
    "市发展改革委牵头，各行业主管部门，各开发区管委会、区县(市)人民政府",
    "市发展改革委牵头，各地各有关部门按照职责分工负责责", "市发展改革委牵头，各地各有关部门按照职责分工负责",
    "市级及有相应管理权的区县（市）城管部门或信用工作牵头单位",
}

# Compound rows ("x + y"): Chinese label, aliases and note of each part.
COMPOUND = {
    ("market_registration.branches", "branch_name"): ("分支机构名称", [], "原清单合写为“分支机构名称和统一社会信用代码”"),
    ("market_registration.branches", "branch_uscc"): ("分支机构统一社会信用代码", [], "原清单合写为“分支机构名称和统一社会信用代码”"),
    ("judicial.bankruptcy", "acceptance_date"): ("企业破产程序受理时间", [], "原清单合写为“企业破产程序受理时间及受理法院”"),
    ("judicial.bankruptcy", "accepting_court"): ("企业破产程序受理法院", ["受理法院"], "原清单合写为“企业破产程序受理时间及受理法院”"),
    ("judicial.bankruptcy", "closing_method"): ("结案方式", [], "原清单合写为“结案方式及日期”"),
    ("judicial.bankruptcy", "closing_date"): ("结案日期", [], "原清单合写为“结案方式及日期”"),
    ("tax.balance_sheet_ratios", "fixed_asset_net_value_ratio"): ("固定资产净值率", [], "原清单合写为“固定资产净值率和资本化比率”"),
    ("tax.balance_sheet_ratios", "capitalization_ratio"): ("资本化比率", [], "原清单合写为“固定资产净值率和资本化比率”"),
    ("tax.profit_info", "total_profit"): ("利润总额", [], "原清单合写为“利润总额和净利润”"),
    ("tax.profit_info", "net_profit"): ("净利润", [], "原清单合写为“利润总额和净利润”"),
    ("environment.env_credit_rating", "env_credit_score"): ("环保信用评价分值", [], "原清单合写为“环保信用评价分值和等级”"),
    ("environment.env_credit_rating", "env_credit_grade"): ("环保信用评价等级", [], "原清单合写为“环保信用评价分值和等级”"),
    ("administrative.administrative_license", "valid_from"): ("有效期自", ["行政许可有效期自"], "000–003 write one field 行政许可有效期 (a range); 004 writes 有效期自 + 有效期至"),
    ("administrative.administrative_license", "valid_to"): ("有效期至", ["行政许可有效期至"], "000–003 write one field 行政许可有效期 (a range); 004 writes 有效期自 + 有效期至"),
    ("administrative.administrative_penalty", "confiscated_illegal_gains"): ("没收违法所得", [], "000–003 write one field 没收违法所得和没收财物的金额; 004 writes two"),
    ("administrative.administrative_penalty", "confiscated_property_value"): ("没收非法财物的金额", ["没收财物的金额"], "000–003 write one field 没收违法所得和没收财物的金额; 004 writes two"),
    ("real_estate.property_seizure", "seizure_start"): ("查封起始时间", [], "原清单合写为“查封起止时间”"),
    ("real_estate.property_seizure", "seizure_end"): ("查封终止时间", [], "原清单合写为“查封起止时间”"),
    ("agriculture.agri_insurance", "policy_valid_from"): ("保单有效期自", [], "003 writes one field 保单有效期; 004 writes 保单有效期自 + 保单有效期至"),
    ("agriculture.agri_insurance", "policy_valid_to"): ("保单有效期至", [], "003 writes one field 保单有效期; 004 writes 保单有效期自 + 保单有效期至"),
}

# Decimal fields: amounts of money carry unit = "yuan" (no text states 万元); the others are
# ratios, scores, areas, volumes or capacities and carry no money unit. Every decimal of the
# reference must be in exactly one of the two sets.
NOT_MONEY = {
    "contribution_ratio", "net_asset_ratio", "fixed_asset_net_value_ratio", "capitalization_ratio",
    "deposit_rate", "insured_headcount_change_rate_q", "payment_amount_change_rate_q",
    "env_credit_score", "co2_emissions_disclosed_latest_year", "area", "operating_capacity",
    "contracted_capacity", "avg_monthly_water_volume_3m", "avg_monthly_water_volume_6m",
    "avg_monthly_gas_volume_3m", "avg_monthly_gas_volume_6m", "farming_scale", "land_area",
    "plot_area", "insured_scale", "planting_area", "subsidised_area",
}
MONEY = {
    "registered_capital", "contribution_amount", "subscribed_contribution", "pledged_equity_amount",
    "total_assets", "total_owners_equity", "total_operating_revenue", "total_profit", "net_profit",
    "total_tax_paid", "total_liabilities", "enforcement_subject_amount", "tax_arrears_amount",
    "deferral_amount", "operating_profit", "vat_payable_12m", "vat_paid_12m", "cit_payable_12m",
    "cit_paid_12m", "total_deposit_12m", "monthly_deposit_amount_24m", "arrears_amount",
    "total_arrears_amount", "enrollment_total_individual_contribution_base",
    "enrollment_employer_due_current_month", "enrollment_individual_due_current_month",
    "enrollment_employer_paid_current_month", "enrollment_individual_paid_current_month",
    "enrollment_employer_cumulative_arrears", "enrollment_individual_cumulative_arrears",
    "payment_total_payroll", "payment_employer_contribution_base", "payment_total_due_current_month",
    "payment_total_paid_current_month", "monthly_employer_payment_24m", "arrears_amount_24m",
    "customs_duty_paid_12m", "fine_amount", "confiscated_illegal_gains", "confiscated_property_value",
    "amount", "prepaid_amount", "avg_monthly_electricity_fee_3m", "avg_monthly_electricity_fee_6m",
    "avg_monthly_electricity_fee_12m", "transfer_fee", "sum_insured", "subsidy_amount",
}

# Per-field overrides after review: (item, field) -> dict of replaced attributes; "note+" appends.
FIELD_OVERRIDES = {
    ("market_registration.shareholders_contributions", "shareholder_uscc"): {
        "label": "股东统一社会信用代码",
        "note": "003's second row repeats 统一社会信用代码 after 股东姓名/名称, read as the shareholder's code; labelled 股东统一社会信用代码 so that it differs from the subject's code"},
    ("market_registration.shareholders_contributions", "shareholder_person_or_entity_name"): {
        "note+": "same value as 股东名称 in 003's other row"},
    ("market_registration.business_license", "registered_capital"): {
        "note+": "registers often publish 万元: convert to 元"},
    ("market_registration.equity_pledge", "pledged_equity_amount"): {
        "note+": "registers often publish 万元 or 万股: convert to 元"},
    ("contract_performance.contract_records", "party_b_uscc"): {
        "label": "乙方统一社会信用代码", "aliases": ["以防统一社会信用代码"],
        "note": "003 writes 以防统一社会信用代码 (typo for 乙方); the written spelling is kept as an alias"},
    # The reference marks the inventor "personal" but notes the name is published in the patent
    # gazette: a natural person's name disclosed by law, like 法定代表人 on a licence -> public.
    ("intellectual_property.patents", "inventor_or_designer"): {
        "sensitivity": "public",
        "note": "natural persons' names, but published by law in the patent gazette: mapped to public"},
    ("housing_fund.deposit_statistics_24m", "uscc"): {"aliases": ["统一社会信用代码"]},
    ("real_estate.farmer_housing_registration", "property_certificate_no"): {
        "aliases": ["不动产权证书号", "不动产登记证明号"]},
    ("judicial.court_judgments", "court"): {
        "note+": "written 执行法院 although the item is about judgments"},
    ("social_insurance.unemployment_injury_payment", "payment_payment_time"): {
        "note+": "read as the period the payment is for; part of the natural key"},
}

# Items whose texts itemise no field naming the subject: the platform adds one (marked in its
# note). Keys and labels follow the item's own wording where it names the party.
ADDED_SUBJECT_FIELDS = {
    "tax.tax_filing_details": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：信息主体（纳税人）的统一社会信用代码；原清单仅列分组"),
    "housing_fund.deposit_info": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：缴存单位的统一社会信用代码；原清单仅列分组"),
    "housing_fund.employer_account_info": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：单位的统一社会信用代码；原清单仅列单位账号和单位名称"),
    "social_insurance.pension_unemployment_injury_maternity_payment": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：参保单位的统一社会信用代码；原清单仅列分组"),
    "medical_insurance.payment": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：参保单位的统一社会信用代码；原清单仅列分组"),
    "public_resource_trading.public_resource_transactions": ("uscc", "统一社会信用代码", "code", "public", "uscc", "平台补充：交易主体的统一社会信用代码；原清单仅列子数据集"),
    "intellectual_property.ip_pledge": ("pledgor_id_no", "出质人证照/证件号码", "string", "authorized", None, "平台补充：出质人（信息主体）的统一社会信用代码或身份证件号码；原清单只有出质人名称。措辞同股权出质登记"),
    "real_estate.property_seizure": ("right_holder_id_no", "权利人证件号", "string", "authorized", None, "平台补充：被查封不动产权利人的证件号（统一社会信用代码或身份证件号码）；原清单未列权利人。措辞同不动产登记信息"),
    "real_estate.property_mortgage": ("mortgagor_id_no", "抵押人证件号", "string", "authorized", None, "平台补充：抵押人（信息主体）的证件号（统一社会信用代码或身份证件号码）；原清单只有抵押人名称。措辞同抵押权人证件号"),
    "agriculture.entity_operations": ("id_no", "证件号码", "string", "authorized", None, "平台补充：经营主体的证件号码，与“基本信息”的证件号码一致；原清单未列"),
}

# The judgement for every item: subject fields, natural key (always starting with the subject),
# polarity and an optional one-line note explaining a non-obvious choice.
N, P, X = "neutral", "positive", "negative"
JUDGEMENT = {
    # 市场主体登记信息
    "market_registration.business_license": (["uscc"], ["uscc"], N, None),
    "market_registration.legal_representative_info": (["uscc"], ["uscc"], N, None),
    "market_registration.change_records": (["uscc"], ["uscc", "change_date"], N,
        "Key is subject + change date: several changes registered on one date share a key (the later one becomes a new version)."),
    "market_registration.industry_classification": (["uscc"], ["uscc"], N, None),
    "market_registration.shareholders_contributions": (["uscc"], ["uscc", "shareholder_name"], N, None),
    "market_registration.branches": (["uscc"], ["uscc", "branch_uscc"], N, None),
    "market_registration.equity_pledge": (["uscc"], ["uscc", "pledge_registration_no"], N,
        "Subject is the enterprise whose equity is pledged; a pledge is a financing encumbrance, not adverse in itself."),
    "market_registration.annual_report": (["uscc"], ["uscc", "report_year"], N, None),
    "market_registration.abnormal_operation_list": (["uscc"], ["uscc", "abnormal_list_date"], X, None),
    "market_registration.serious_violation_list": (["uscc"], ["uscc", "listing_date"], X, None),
    "market_registration.random_inspection": (["uscc"], ["uscc"], X,
        "Negative: the item's only fact is the number of failed random inspections in three years."),
    # 司法信息
    "judicial.court_judgments": (["uscc"], ["uscc", "case_no"], N,
        "Neutral: whether a judgment is adverse depends on the subject's role (plaintiff/defendant) and the result."),
    "judicial.enforcement_cases": (["debtor_id_no_or_uscc"], ["debtor_id_no_or_uscc", "case_no"], X,
        "No separate USCC column: the debtor's ID number or USCC names the subject (enterprise or natural person)."),
    "judicial.terminated_enforcement_cases": (["debtor_id_no_or_uscc"], ["debtor_id_no_or_uscc", "case_no"], X,
        "Negative: enforcement ended without full satisfaction (终本). Subject is the debtor's ID number or USCC."),
    "judicial.dishonest_judgment_debtors": (["debtor_id_no_or_uscc"], ["debtor_id_no_or_uscc", "case_no"], X, None),
    "judicial.bankruptcy": (["uscc"], ["uscc", "bankruptcy_case_no"], X, None),
    # 纳税信息
    "tax.tax_credit_rating": (["uscc"], ["uscc", "rating_year"], N,
        "Neutral at item level: the grade decides (A favourable, C/D adverse)."),
    "tax.abnormal_taxpayer": (["uscc"], ["uscc"], X, None),
    "tax.tax_arrears": (["uscc"], ["uscc"], X,
        "Current-status snapshot (当前是否欠税): one record per subject, a new report becomes a new version."),
    "tax.tax_deferral": (["uscc"], ["uscc", "deferral_item"], N,
        "Neutral: a deferral is granted by the tax authority, not a default."),
    "tax.historical_tax_arrears": (["uscc"], ["uscc", "tax_type", "tax_period_from"], X, None),
    "tax.tax_filing_details": (["uscc"], ["uscc"], N, None),
    "tax.balance_sheet_ratios": (["uscc"], ["uscc"], N,
        "The texts give no reporting period: one current record per subject."),
    "tax.profit_info": (["uscc"], ["uscc"], N,
        "The texts give no reporting period: one current record per subject."),
    "tax.tax_payment_statistics": (["uscc"], ["uscc"], N, None),
    # 住房公积金信息
    "housing_fund.deposit_info": (["uscc"], ["uscc"], N, None),
    "housing_fund.deposit_statistics_12m": (["uscc"], ["uscc"], N, None),
    "housing_fund.employer_basic_info": (["uscc"], ["uscc", "employer_account_no"], N, None),
    "housing_fund.employer_deposit_records": (["uscc"], ["uscc", "fund_account_no", "deposit_month_from"], N, None),
    "housing_fund.employer_account_info": (["uscc"], ["uscc", "employer_account_no"], N, None),
    "housing_fund.deposit_statistics_24m": (["uscc"], ["uscc"], N, None),
    # 社会保险信息
    "social_insurance.pension_unemployment_injury_maternity_payment": (["uscc"], ["uscc"], N, None),
    "social_insurance.pension_unemployment_injury_maternity_arrears": (["uscc"], ["uscc"], X,
        "Arrears snapshot over the stated statistics window: one record per subject."),
    "social_insurance.unemployment_injury_payment": (["basic_registration_uscc"],
        ["basic_registration_uscc", "payment_payment_time", "payment_type"], N,
        "One record per subject, payment period and insurance type (缴费信息 › 类型)."),
    "social_insurance.unemployment_injury_arrears": (["uscc"], ["uscc"], X,
        "Arrears snapshot over the stated statistics window: one record per subject."),
    "social_insurance.pension_payment_statistics": (["uscc"], ["uscc"], N, None),
    # 社会保险信息（医疗保险）
    "medical_insurance.payment": (["uscc"], ["uscc"], N, None),
    "medical_insurance.arrears": (["uscc"], ["uscc"], X, None),
    "medical_insurance.payment_statistics": (["uscc"], ["uscc"], N,
        "Two-year statistics snapshot; per-payment periods sit inside the record."),
    "medical_insurance.change_rates": (["uscc"], ["uscc"], N, None),
    # 生态环境领域信息
    "environment.env_credit_rating": (["uscc"], ["uscc", "rating_date"], N,
        "Neutral at item level: the score and grade decide."),
    "environment.carbon_emissions": (["uscc"], ["uscc"], N, None),
    "environment.eia_credit": (["uscc"], ["uscc"], X,
        "Negative: the item records dishonest conduct and dishonesty points (失信行为/失信记分)."),
    # 进出口信息
    "customs.customs_registration": (["uscc"], ["uscc"], N, None),
    "customs.customs_credit_rating": (["uscc"], ["uscc", "credit_grade_effective_date"], N,
        "Neutral at item level: the grade decides (高级认证 favourable, 失信 adverse)."),
    "customs.customs_basic_info": (["uscc"], ["uscc"], N, None),
    "customs.customs_duty_payment": (["uscc"], ["uscc"], N, None),
    # 知识产权信息
    "intellectual_property.trademarks": (["uscc"], ["uscc", "application_or_registration_no"], P,
        "Positive: registered IP rights are assets counted in the subject's favour."),
    "intellectual_property.patents": (["uscc"], ["uscc", "application_no"], P,
        "Positive: patent rights are assets counted in the subject's favour."),
    "intellectual_property.ip_pledge": (["pledgor_id_no"], ["pledgor_id_no", "pledge_registration_no"], N,
        "Subject is the pledgor (the IP owner borrowing against it); pledges are financing encumbrances, not adverse in themselves."),
    # 软件著作权信息
    "software_copyright.software_copyrights": (["uscc"], ["uscc", "registration_no"], P,
        "Positive: registered copyrights are assets counted in the subject's favour."),
    # 不动产信息
    "real_estate.property_registration": (["right_holder_id_no"], ["right_holder_id_no", "property_unit_no"], N,
        "Subject is the right holder (权利人证件号: USCC or ID number); 不动产单元号 is the stable identifier of the property."),
    "real_estate.property_seizure": (["right_holder_id_no"], ["right_holder_id_no", "seizure_doc_no"], X, None),
    "real_estate.property_mortgage": (["mortgagor_id_no"], ["mortgagor_id_no", "registration_certificate_no"], N,
        "Subject is the mortgagor; a mortgage is a financing encumbrance, not adverse in itself."),
    "real_estate.farmer_housing_registration": (["right_holder_id_no"], ["right_holder_id_no", "property_unit_no"], N, None),
    # 行政管理信息
    "administrative.administrative_license": (["subject_uscc"], ["subject_uscc", "decision_doc_no"], N,
        "Natural-person counterparts (004 证件类型/证件号码) have no USCC and cannot be filed under this enterprise subject."),
    "administrative.administrative_penalty": (["subject_uscc"], ["subject_uscc", "decision_doc_no"], X,
        "Natural-person counterparts (004 证件类型/证件号码) have no USCC and cannot be filed under this enterprise subject."),
    "administrative.administrative_coercion": (["subject_uscc"], ["subject_uscc", "decision_doc_no"], X, None),
    "administrative.administrative_reward": (["subject_uscc"], ["subject_uscc", "reward_name", "award_date"], P,
        "Key uses fields of every layout: 认定文书号 is listed only in 004."),
    "administrative.administrative_inspection": (["subject_uscc"], ["subject_uscc", "inspection_date", "authority_code"], N,
        "Key uses fields of every layout: 关联文书号 is listed only in 004."),
    "administrative.administrative_confirmation": (["subject_uscc"], ["subject_uscc", "confirmation_item_name", "confirmation_date"], N,
        "Key uses fields of every layout: 行政确认文号 is listed only in 004."),
    "administrative.administrative_adjudication": (["subject_uscc"], ["subject_uscc", "authority_code", "adjudication_date"], N,
        "000–003 list neither a document number nor a date; 裁决日期 (004) is made part of the key, so providers using the older layout must supply it."),
    "administrative.administrative_levy": (["subject_uscc"], ["subject_uscc", "authority_uscc", "levy_date"], N,
        "Key uses fields of every layout: 文书号 is listed only in 004."),
    "administrative.administrative_benefit_payment": (["subject_uscc"], ["subject_uscc", "decision_doc_no"], N, None),
    "administrative.supervisory_inspection": (["uscc"], ["uscc", "inspection_date", "authority_uscc"], N, None),
    "administrative.other_enforcement": (["subject_uscc"], ["subject_uscc", "authority_uscc", "decision_date"], N,
        "Key uses fields of every layout: 文书号 is listed only in 004."),
    # 水电气费缴纳信息
    "utilities.water_account": (["uscc"], ["uscc", "service_address"], N,
        "No account number in this item: one supply account per service address."),
    "utilities.water_usage_statistics": (["uscc"], ["uscc", "water_account_name_and_no"], N,
        "Statistics snapshot per water account (户名户号)."),
    "utilities.electricity_account": (["uscc"], ["uscc", "service_address"], N,
        "No account number in this item: one supply account per service address."),
    "utilities.electricity_usage_statistics": (["uscc"], ["uscc", "grid_account_no"], N,
        "Statistics snapshot per grid account (电网户号)."),
    "utilities.gas_account": (["uscc"], ["uscc", "service_address"], N,
        "No account number in this item: one supply account per service address."),
    "utilities.gas_usage_statistics": (["uscc"], ["uscc", "gas_account_name_and_no"], N,
        "Statistics snapshot per gas account (户名户号)."),
    # 科技研发信息
    "tech_innovation.research_support": (["uscc"], ["uscc"], P,
        "Positive: labs, public funding, standard-setting and talent certifications are recognitions."),
    "tech_innovation.innovation_rating": (["uscc"], ["uscc"], P, None),
    # 新型农业经营主体信息
    "agriculture.entity_basic_info": (["id_no"], ["id_no"], N,
        "Subject is the operator's 证件号码 (a family farmer's ID number, or a cooperative's USCC per 证件类型); the 000–002 layout lists no ID number."),
    "agriculture.entity_operations": (["id_no"], ["id_no"], N, None),
    "agriculture.land_transfer": (["transferee_id_no_or_uscc"], ["transferee_id_no_or_uscc", "plot_no", "transfer_start_date"], N,
        "Subject is the transferee (the operator who takes over the land-management right)."),
    "agriculture.confirmed_land_plots": (["holder_id_no_or_uscc"], ["holder_id_no_or_uscc", "plot_no"], N,
        "地块编号 (listed only in 004) is the plot's identifier and part of the key; plot names are not unique."),
    "agriculture.agri_insurance": (["id_no"], ["id_no", "insurance_type", "policy_valid_from"], N,
        "No policy number in the texts: one record per insurance type and policy start."),
    "agriculture.agri_subsidy": (["id_no"], ["id_no", "subsidy_type"], N,
        "No year or date in the texts: a later subsidy of the same type becomes a new version."),
    # 涉农类清单信息
    "agri_related_list.large_grower_list": (["id_no"], ["id_no"], N,
        "Subject is the grower's 证件号码 (004); 003 lists only groups, so its providers must add it."),
    # 公共资源交易信息
    "public_resource_trading.public_resource_transactions": (["uscc"], ["uscc"], N,
        "The four fields are record lists (tender, award and transfer results) held in one record per subject."),
    # 合同履约信息
    "contract_performance.contract_records": (["party_a_uscc", "party_b_uscc"],
        ["party_a_uscc", "party_b_uscc", "contract_no"], N,
        "A contract concerns both parties: both USCCs are subject fields (party A first, as written)."),
    # 资质信息
    "qualifications.construction": (["uscc"], ["uscc", "qualification_series", "qualification_category"], P,
        "Positive: a graded construction qualification is granted selectively."),
    "qualifications.medical": (["uscc"], ["uscc", "practice_licence_no"], N,
        "Neutral: an operating licence every lawful operator must hold."),
    "qualifications.education": (["uscc"], ["uscc"], N,
        "Neutral: operating licences; one record per institution (it may hold a 办学许可证 or only a 行政许可证). 处罚记录 inside is adverse detail."),
    "qualifications.transport": (["uscc"], ["uscc", "road_transport_licence_no"], N,
        "Neutral: an operating licence every lawful operator must hold."),
    # 医保定点信息
    "medical_insurance_designation.designated_unit": (["uscc"], ["uscc"], P,
        "Positive: 医保定点 is a designation granted after assessment."),
    "medical_insurance_designation.private_medical_institution": (["uscc"], ["uscc"], N, None),
    "medical_insurance_designation.retail_pharmacy": (["uscc"], ["uscc"], N, None),
    # 婚姻状况信息
    "marital_status.legal_rep_marital_status": (["id_card_no"], ["id_card_no"], N,
        "Subject is the legal representative (a natural person), identified by 身份证号码."),
}

# Reference notes that only repeat what `docs` already says are dropped.
TRIVIAL_NOTE = re.compile(r"^(Only in \d{3}|Not in \d{3}(?:/\d{3})?|Not in 000–002)\.$")


# --------------------------------------------------------------------------------------------
# Derivations
# --------------------------------------------------------------------------------------------
def modes_of(text):
    modes = []
    if "物理归集" in text:
        modes.append("push")
    if "接口调用" in text or "接口对接" in text:
        modes.append("pull")
    if not modes:
        raise SystemExit(f"unknown sharing mode: {text}")
    return modes


def source_units_of(text):
    units = []
    for part in PART_SPLIT_RE.split(text):
        cell = part.rsplit(" — ", 1)[0].strip()
        if cell in SOURCE_UNITS:
            parts = SOURCE_UNITS[cell]
        elif cell in WHOLE_UNITS or not re.search(r"[、，, ]", cell):
            parts = [cell]
        else:
            raise SystemExit(f"source cell needs a decision in SOURCE_UNITS: {cell}")
        for u in parts:
            if u not in units:
                units.append(u)
    return units


def sensitivity_of(ref):
    if ref == "public":
        return "public"
    if ref == "commercial":
        return "restricted"
    if ref.startswith("personal (natural-person name; disclosed on licence/公示)"):
        return "public"
    if ref.startswith("personal"):  # personal, personal (ID no. …), personal if natural person …
        return "authorized"
    raise SystemExit(f"unknown sensitivity: {ref}")


def labels_of(cell):
    parts = [DOCS_SUFFIX_RE.sub("", p).strip() for p in cell.split(" / ")]
    first, rest = parts[0], []
    for p in parts[1:]:
        if p != first and p not in rest:
            rest.append(p)
    return first, rest


def code_table_of(key, label, ftype):
    if key == "industry_code":
        return "industry"
    if "身份证" in label:
        return "resident_id"
    if "统一社会信用代码" in label and ftype == "code":
        return "uscc"
    if "行政区划" in label:
        return "region"
    return None


def build(ref_path):
    sections, ref_items = parse_reference(ref_path)
    missing = [i["key"] for i in ref_items if i["key"] not in JUDGEMENT]
    extra = [k for k in JUDGEMENT if k not in {i["key"] for i in ref_items}]
    if missing or extra:
        raise SystemExit(f"JUDGEMENT out of step with the reference: missing {missing}, unknown {extra}")

    out_sections = []
    for order, s in enumerate(sections, 1):
        label, aliases = SECTION_LABELS.get(s["key"], (s["heading"], []))
        out_sections.append({"key": s["key"], "label": label, "aliases": aliases, "order": order})

    out_items = []
    for it in ref_items:
        docs = expand_docs(it["bullets"]["Listed in"])
        fields = []
        for row in it["rows"]:
            keys = [k.strip().replace(".", "_") for k in row["key"].split("+")]
            types = [t.strip() for t in row["type"].split("+")]
            label, aliases = labels_of(row["label"])
            if "›" in label:  # 003 group › sub-field: the bare sub-field is accepted as a header too
                aliases = aliases + [label.split("›", 1)[1].strip()]
            fdocs = docs if row["docs"] == "all" else expand_docs(row["docs"])
            note = row["note"]
            if note == "18-character unified social credit code":
                note = ""
            for i, key in enumerate(keys):
                f = {"key": key, "label": label, "aliases": list(aliases), "type": types[i],
                     "sensitivity": sensitivity_of(row["sens"]), "note": note, "docs": fdocs}
                if len(keys) > 1:
                    clabel, caliases, cnote = COMPOUND[(it["key"], key)]
                    f.update(label=clabel, aliases=caliases, note=cnote)
                if f["type"] == "date" and "YYYY-MM" in note:
                    f["type"] = "month"
                    f["note"] = ""
                fields.append(f)
        if it["key"] in ADDED_SUBJECT_FIELDS:
            key, label, ftype, sens, table, note = ADDED_SUBJECT_FIELDS[it["key"]]
            fields.insert(0, {"key": key, "label": label, "aliases": [], "type": ftype,
                              "sensitivity": sens, "note": note, "docs": docs, "code_table": table})
        for f in fields:
            f.setdefault("code_table", code_table_of(f["key"], f["label"], f["type"]))
            if f["type"] == "decimal":
                if f["key"] in MONEY:
                    f["unit"] = "yuan"
                elif f["key"] not in NOT_MONEY:
                    raise SystemExit(f"decimal {it['key']}.{f['key']} is neither MONEY nor NOT_MONEY")
            ov = FIELD_OVERRIDES.get((it["key"], f["key"]), {})
            for k, v in ov.items():
                if k == "note+":
                    f["note"] = f"{f['note']}; {v}" if f["note"] else v
                else:
                    f[k] = v
        subject, natural, polarity, jnote = JUDGEMENT[it["key"]]
        for f in fields:
            f["required"] = f["key"] in subject or f["key"] in natural
        notes = [n for n in it["notes"] if not TRIVIAL_NOTE.match(n)]
        if jnote:
            notes.append(jnote)
        aliases = []
        for part in PART_SPLIT_RE.split(it["bullets"].get("Names used", "")):
            name = part.rsplit(" — ", 1)[0].strip()
            name = re.sub(r"\s*\([^()]*\)$", "", name).strip()
            # A name that is another item's label in the same section (utilities: 000–002 call the
            # statistics items 水费信息/电费信息/燃气费信息, 003's account items) stays in the note only.
            taken = {o["label"] for o in ref_items if o["section"] == it["section"] and o is not it}
            if name and not name.startswith("(") and "…" not in name and name != it["label"] \
                    and name not in aliases and name not in taken:
                aliases.append(name)
        out_items.append({
            "key": it["key"], "label": it["label"], "aliases": aliases, "section": it["section"],
            "modes": modes_of(it["bullets"]["Sharing mode (as written)"]),
            "source_units": source_units_of(it["bullets"]["Source / responsible unit (as written)"]),
            "subject_fields": subject, "natural_key": natural, "polarity": polarity, "docs": docs,
            "note": " ".join(notes) if notes else None, "fields": fields,
        })
    return out_sections, out_items


# --------------------------------------------------------------------------------------------
# Writing TOML (small, deterministic; JSON string escapes are valid TOML basic strings)
# --------------------------------------------------------------------------------------------
def s(v):
    return json.dumps(v, ensure_ascii=False)


def arr(xs):
    return "[" + ", ".join(s(x) for x in xs) + "]"


def write(out_dir, sections, items, published):
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "items").mkdir(exist_ok=True)
    lines = ["# 信用信息目录 v1 — header: version and the 21 sections (信息种类).",
             "# Items live in items/<section>.toml. Edit the TOML; check with python3 catalog/check_catalog.py.",
             "version = 1", 'title = "信用信息归集共享目录"', f"published = {s(published)}"]
    for sec in sections:
        lines += ["", "[[sections]]", f"key = {s(sec['key'])}", f"label = {s(sec['label'])}"]
        if sec["aliases"]:
            lines.append(f"aliases = {arr(sec['aliases'])}")
        lines.append(f"order = {sec['order']}")
    (out_dir / "catalog.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    for sec in sections:
        its = [i for i in items if i["section"] == sec["key"]]
        lines = [f"# {sec['label']} ({sec['key']}) — {len(its)} item(s). Source of truth: edit here."]
        for it in its:
            lines += ["", "[[items]]", f"key = {s(it['key'])}", f"label = {s(it['label'])}"]
            if it["aliases"]:
                lines.append(f"aliases = {arr(it['aliases'])}")
            lines += [f"section = {s(it['section'])}", f"modes = {arr(it['modes'])}",
                      f"source_units = {arr(it['source_units'])}",
                      f"subject_fields = {arr(it['subject_fields'])}",
                      f"natural_key = {arr(it['natural_key'])}",
                      f"polarity = {s(it['polarity'])}", f"docs = {arr(it['docs'])}"]
            if it["note"]:
                lines.append(f"note = {s(it['note'])}")
            for f in it["fields"]:
                lines += ["", "[[items.fields]]", f"key = {s(f['key'])}", f"label = {s(f['label'])}"]
                if f["aliases"]:
                    lines.append(f"aliases = {arr(f['aliases'])}")
                lines += [f"type = {s(f['type'])}", f"required = {'true' if f['required'] else 'false'}",
                          f"sensitivity = {s(f['sensitivity'])}"]
                if f.get("code_table"):
                    lines.append(f"code_table = {s(f['code_table'])}")
                if f.get("unit"):
                    lines.append(f"unit = {s(f['unit'])}")
                if f["docs"] != it["docs"]:
                    lines.append(f"docs = {arr(f['docs'])}")
                if f["note"]:
                    lines.append(f"note = {s(f['note'])}")
        (out_dir / "items" / f"{sec['key']}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REF)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--published", default="2026-11-24")
    ap.add_argument("--force", action="store_true", help="overwrite an existing catalogue directory")
    args = ap.parse_args()
    if (args.out / "catalog.toml").exists() and not args.force:
        sys.exit(f"{args.out} already holds a catalogue (the TOML is the source of truth); use --force to overwrite")
    sections, items = build(args.reference)
    write(args.out, sections, items, args.published)
    print(f"{len(sections)} sections, {len(items)} items, {sum(len(i['fields']) for i in items)} fields -> {args.out}")


if __name__ == "__main__":
    main()
