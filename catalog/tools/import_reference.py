#!/usr/bin/env python3
"""One-off import of the union catalogue (shared/reference/catalog-union.md) into catalog/v1.

Kept for the record of how v1 was made. The TOML files are now the source of truth: edit them,
not this script, and check them with `xinrong catalog check catalog/v1`.

Judgement rules applied (documented in catalog/README.md):
- modes: 物理归集 -> push; 接口调用 / 接口对接 -> pull; both when any document lists both.
- sensitivity: public -> public; commercial -> restricted; personal -> authorized, except a
  natural person's name disclosed on a licence/公示 -> public; "personal if natural person, else
  public" -> authorized.
- subject: `uscc` when the item has it, else the natural person's ID-number field.
- natural key: the subject plus the item's own record identifier (document/decision/case/
  certificate/licence/contract number ...), else its period or date field; items with one
  record per subject use the subject alone.
- polarity: negative for adverse records, positive for honours/qualifications, else neutral.
"""
import json
import re
import sys
from pathlib import Path

REF = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/catalog-union.md")
OUT = Path(__file__).resolve().parent.parent / "v1"

text = REF.read_text(encoding="utf-8")
lines = text.splitlines()

sections, items = [], []
current_section = None
item = None
for line in lines:
    m = re.match(r"^## (\d+)\. `([a-z_]+)` — (.+)$", line)
    if m:
        current_section = {"key": m.group(2), "label": m.group(3).strip(), "order": len(sections) + 1}
        sections.append(current_section)
        item = None
        continue
    if line.startswith("## "):
        current_section = None
        item = None
        continue
    m = re.match(r"^### [\d.]+ (.+?) — `([a-z_0-9]+\.[a-z_0-9]+)`$", line)
    if m and current_section:
        item = {"label": m.group(1).strip(), "key": m.group(2), "section": current_section["key"],
                "modes_text": "", "sources_text": "", "listed": "", "note": None, "rows": []}
        items.append(item)
        continue
    if item is None:
        continue
    m = re.match(r"^- \*\*(.+?):\*\* (.*)$", line)
    if m:
        label, value = m.group(1), m.group(2)
        if label.startswith("Sharing mode"):
            item["modes_text"] = value
        elif label.startswith("Source"):
            item["sources_text"] = value
        elif label == "Listed in":
            item["listed"] = value
        elif label == "Note":
            item["note"] = value
        continue
    m = re.match(r"^\| (\d+) \| (.+?) \| `([^`]+)` \| (.+?) \| (.+?) \| (.+?) \| (.*?) \|$", line)
    if m:
        item["rows"].append({"label": m.group(2), "key": m.group(3), "type": m.group(4).strip(),
                             "sens": m.group(5).strip(), "note": m.group(7).strip()})

def modes(t):
    out = []
    if "物理归集" in t:
        out.append("push")
    if "接口调用" in t or "接口对接" in t:
        out.append("pull")
    return out or ["push"]

def sources(t):
    out = []
    for part in t.split(";"):
        unit = part.split(" — ")[0].strip()
        for u in re.split(r"[、，,]", unit):
            u = u.strip()
            if u and u not in out:
                out.append(u)
    return out

def docs(t):
    out = []
    for m in re.finditer(r"(\d{3})(?:–(\d{3}))?", t):
        a = int(m.group(1)); b = int(m.group(2) or a)
        for d in range(a, b + 1):
            s = f"{d:03d}"
            if s not in out:
                out.append(s)
    return sorted(out)

def sensitivity(s):
    if s.startswith("public"):
        return "public"
    if s.startswith("commercial"):
        return "restricted"
    if "disclosed" in s:
        return "public"
    return "authorized"

def field_type(t, note, label):
    t = t.strip()
    if t == "date" and ("YYYY-MM" in note or "年月" in label) and "日" not in label:
        return "month"
    return t if t in {"string", "date", "decimal", "integer", "boolean", "enum", "code", "object", "array"} else "string"

def code_table(key, label):
    if key.endswith("uscc") or "统一社会信用代码" in label:
        return "uscc"
    if "身份证" in label or key.endswith("id_number") or "证件号码" in label:
        return "resident_id"
    if "行政区划" in label:
        return "region"
    if "行业代码" in label or key == "industry_code":
        return "industry"
    return None

def split_label(label):
    labels = [l.strip() for l in re.split(r" / ", label)]
    first = re.sub(r"\s*\((?:0\d\d[–, 0-9]*)\)\s*$", "", labels[0]).strip()
    aliases = [re.sub(r"\s*\((?:0\d\d[–, 0-9]*)\)\s*$", "", l).strip() for l in labels[1:]]
    return first, [a for a in aliases if a and a != first]

RECORD_ID = re.compile(r"(decision_no|document_no|case_no|certificate_no|license_no|licence_no|permit_no|contract_no|"
                       r"registration_no|record_no|patent_no|trademark_no|serial_no|policy_no|account_no|project_no|"
                       r"_no$|_number$|_code$)")
PERIOD = re.compile(r"(^|_)(period|year|quarter)(_|$)|_month$|^month|(change|listing|list|inspection|rating|registration|filing|decision|judgment|publish)_date$")
STATS = re.compile(r"_(3|6|12|24)m$|monthly|consecutive|_3y$")

# Items about natural persons: the subject is the person's ID number.
PERSON_ITEMS = {"agri_related_list.large_grower_list", "agriculture.entity_basic_info",
                "agriculture.agri_insurance", "agriculture.agri_subsidy",
                "marital_status.legal_rep_marital_status"}
# Items whose subject is named by a holder's ID-or-USCC field.
HOLDER_ITEMS = {
    "agriculture.land_transfer": ["transferee_id_no_or_uscc"],
    "agriculture.confirmed_land_plots": ["holder_id_no_or_uscc"],
    "judicial.enforcement_cases": ["debtor_id_no_or_uscc"],
    "judicial.terminated_enforcement_cases": ["debtor_id_no_or_uscc"],
    "judicial.dishonest_judgment_debtors": ["debtor_id_no_or_uscc"],
    "real_estate.property_registration": ["right_holder_id_no"],
    "real_estate.farmer_housing_registration": ["right_holder_id_no"],
}
# Record keys chosen by hand where the field names alone mislead.
NATURAL_KEYS = {
    "market_registration.business_license": [],
    "market_registration.legal_representative_info": [],
    "market_registration.industry_classification": [],
    "market_registration.shareholders_contributions": ["shareholder_name"],
    "market_registration.branches": ["branch_name"],
    "market_registration.random_inspection": [],
    "real_estate.property_registration": ["property_unit_no"],
    "real_estate.farmer_housing_registration": ["property_unit_no"],
    "real_estate.property_seizure": ["seizure_doc_no"],
    "real_estate.property_mortgage": ["registration_certificate_no"],
    "intellectual_property.ip_pledge": ["pledge_registration_no"],
    "customs.customs_duty_payment": [],
    "environment.carbon_emissions": [],
    "housing_fund.employer_account_info": ["employer_account_no"],
    "housing_fund.employer_deposit_records": ["fund_account_no"],
    "utilities.water_usage_statistics": [],
    "utilities.electricity_usage_statistics": [],
    "utilities.gas_usage_statistics": [],
    # One supply account per service address: the texts give no account number here.
    "utilities.water_account": ["service_address"],
    "utilities.gas_account": ["service_address"],
    "utilities.electricity_account": ["service_address"],
    "qualifications.construction": ["qualification_series", "qualification_category"],
    "housing_fund.employer_basic_info": ["employer_account_no"],
    "housing_fund.deposit_statistics_24m": [],
    "administrative.administrative_adjudication": ["adjudication_date", "authority_code"],
}

NEGATIVE = re.compile(r"失信|处罚|异常|违法|欠|被执行|限制|黑名单|严重|强制|查封|冻结|破产|清算|吊销|注销|违规|失败|逾期|诉讼|判决|撤销|拖欠|抽查不合格|经营异常")
POSITIVE = re.compile(r"奖励|荣誉|表彰|高新|专精特新|A级|守信|认定|资质|红名单|科技型|示范|星级|合格|专利|商标|著作权|认证|纳税信用等级|评价")

def polarity(item):
    label = item["label"]
    if NEGATIVE.search(label):
        return "negative"
    if POSITIVE.search(label):
        return "positive"
    return "neutral"

def toml_str(s):
    return json.dumps(s, ensure_ascii=False)

def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"

by_section = {}
for it in items:
    fields = []
    for row in it["rows"]:
        # Grouped sub-fields (`group.field`) become `group_field`: keys stay snake_case.
        keys = [k.strip().replace(".", "_") for k in row["key"].split("+")]
        types = [t.strip() for t in row["type"].split("+")]
        first, aliases = split_label(row["label"])
        for i, key in enumerate(keys):
            t = types[i] if i < len(types) else types[-1]
            label = first if len(keys) == 1 else f"{first}（{['一','二','三','四'][i]}）"
            f = {"key": key, "label": label, "aliases": aliases if i == 0 else [],
                 "type": field_type(t, row["note"], first), "sensitivity": sensitivity(row["sens"]),
                 "code_table": code_table(key, first), "note": row["note"] or None}
            if f["type"] == "decimal" and re.search(r"金额|额|费|资本|收入|税|利润|资产|负债|价", first):
                f["unit"] = "wan_yuan" if "万元" in first + (row["note"] or "") else "yuan"
            if f["code_table"] == "resident_id" and f["sensitivity"] == "public":
                f["sensitivity"] = "authorized"
            fields.append(f)
    keys = [f["key"] for f in fields]
    usccs = [k for k in keys if k == "uscc" or (k.endswith("uscc") and not k.startswith(("shareholder", "branch", "party_b")))]
    ids = [f["key"] for f in fields if f["code_table"] == "resident_id" and not f["key"].startswith("legal_rep")]
    if it["key"] in PERSON_ITEMS and ids:
        subject = ids[:1]
    elif it["key"] in HOLDER_ITEMS:
        subject = HOLDER_ITEMS[it["key"]]
    elif usccs:
        subject = usccs[:1]
    else:
        # The texts itemise only groups here; every record still belongs to one subject, so the
        # platform adds the subject's USCC as a field of its own.
        fields.insert(0, {"key": "uscc", "label": "统一社会信用代码", "aliases": [], "type": "code",
                          "sensitivity": "public", "code_table": "uscc",
                          "note": "平台补充：信息主体的统一社会信用代码（原清单仅列分组）"})
        keys.insert(0, "uscc")
        subject = ["uscc"]
    if it["key"] in NATURAL_KEYS:
        natural = subject + NATURAL_KEYS[it["key"]]
    else:
        ident = [k for k in keys if k not in subject and RECORD_ID.search(k)
                 and not k.startswith(("subject_", "legal_rep", "shareholder", "branch"))
                 and not k.endswith(("uscc", "id_no", "_code")) and "account" not in k]
        period = [k for k in keys if k not in subject and PERIOD.search(k) and not STATS.search(k)]
        natural = subject + (ident[:1] if ident else period[:1])
    for f in fields:
        f["required"] = f["key"] in natural
    it_out = {
        "key": it["key"], "label": it["label"], "section": it["section"], "modes": modes(it["modes_text"]),
        "source_units": sources(it["sources_text"]), "subject_fields": subject, "natural_key": natural,
        "polarity": polarity(it), "docs": docs(it["listed"]), "note": it["note"], "fields": fields,
    }
    by_section.setdefault(it["section"], []).append(it_out)

OUT.joinpath("items").mkdir(parents=True, exist_ok=True)
with open(OUT / "catalog.toml", "w", encoding="utf-8") as h:
    h.write("# 信用信息目录 v1 — the union of the five policy texts' sharing lists.\n")
    h.write("version = 1\ntitle = \"信用信息归集共享目录\"\npublished = \"2026-11-24\"\n")
    for s in sections:
        h.write(f"\n[[sections]]\nkey = {toml_str(s['key'])}\nlabel = {toml_str(s['label'])}\norder = {s['order']}\n")

for s in sections:
    with open(OUT / "items" / f"{s['key']}.toml", "w", encoding="utf-8") as h:
        h.write(f"# {s['label']} ({s['key']})\n")
        for it in by_section.get(s["key"], []):
            h.write(f"\n[[items]]\nkey = {toml_str(it['key'])}\nlabel = {toml_str(it['label'])}\nsection = {toml_str(it['section'])}\n")
            h.write(f"modes = {toml_list(it['modes'])}\nsource_units = {toml_list(it['source_units'])}\n")
            h.write(f"subject_fields = {toml_list(it['subject_fields'])}\nnatural_key = {toml_list(it['natural_key'])}\n")
            h.write(f"polarity = {toml_str(it['polarity'])}\ndocs = {toml_list(it['docs'])}\n")
            if it["note"]:
                h.write(f"note = {toml_str(it['note'])}\n")
            for f in it["fields"]:
                h.write(f"\n[[items.fields]]\nkey = {toml_str(f['key'])}\nlabel = {toml_str(f['label'])}\n")
                if f["aliases"]:
                    h.write(f"aliases = {toml_list(f['aliases'])}\n")
                h.write(f"type = {toml_str(f['type'])}\nrequired = {'true' if f['required'] else 'false'}\n")
                h.write(f"sensitivity = {toml_str(f['sensitivity'])}\n")
                if f["code_table"]:
                    h.write(f"code_table = {toml_str(f['code_table'])}\n")
                if f.get("unit"):
                    h.write(f"unit = {toml_str(f['unit'])}\n")
                if f["note"]:
                    h.write(f"note = {toml_str(f['note'])}\n")

print(len(sections), "sections,", len(items), "items,", sum(len(i["fields"]) for s in by_section.values() for i in s), "fields")
