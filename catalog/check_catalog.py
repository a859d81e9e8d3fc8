#!/usr/bin/env python3
"""Validate the 信用信息目录 (catalogue) data files — standard library only, no build needed.

    python3 catalog/check_catalog.py [--dir catalog/v1] [--reference PATH] [--verbose]

Loads catalog/v1/catalog.toml and catalog/v1/items/*.toml with tomllib and checks every rule an
added item or field must satisfy (the same rules as `xinrong catalog check`, plus a few data
conventions — see catalog/README.md). Then cross-checks the data against the union catalogue
(/work/shared/reference/catalog-union.md): every item key and field key of the reference must be
in the data ("a + b" rows count as present when every part is; "group.field" keys are stored as
"group_field"). Prints counts. Exits 1 with one line per violation, 2 on unreadable input.
"""
import argparse
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE / "v1"
DEFAULT_REF = Path("/work/shared/reference/catalog-union.md")

# v1 is pinned to the reference: 21 sections, 91 items. Adding an item is a data change; bump
# these (or pass --expect-items) in the same change, together with the Rust test that pins 91.
EXPECTED_SECTIONS = 21
EXPECTED_ITEMS = 91

TYPES = {"string", "date", "month", "decimal", "integer", "boolean", "enum", "code", "object", "array"}
SENSITIVITIES = {"public", "authorized", "restricted", "internal"}
MODES = {"push", "pull"}
POLARITIES = {"negative", "positive", "neutral"}
SEVERITIES = {"minor", "major", "serious"}
FREQUENCIES = {"daily", "weekly", "monthly", "quarterly", "yearly", "on_change"}
CODE_TABLES = {"uscc", "resident_id", "region", "industry"}
UNITS = {"yuan", "wan_yuan"}
DOCS = {"000", "001", "002", "003", "004"}

HEADER_KEYS = {"version", "title", "published", "sections"}
SECTION_KEYS = {"key", "label", "order", "aliases"}
ITEM_KEYS = {"key", "label", "aliases", "section", "modes", "source_units", "subject_fields",
             "natural_key", "polarity", "severity", "update_frequency", "docs", "note", "fields",
             "self_reportable"}
ITEM_REQUIRED = {"key", "label", "section", "modes", "subject_fields", "natural_key", "polarity",
                 "update_frequency", "fields"}
FIELD_KEYS = {"key", "label", "aliases", "type", "required", "sensitivity", "code_table", "unit",
              "allow_future", "note", "docs"}
FIELD_REQUIRED = {"key", "label", "type", "sensitivity"}

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Report:
    def __init__(self):
        self.errors = []

    def err(self, where, message):
        self.errors.append(f"{where}: {message}")


def is_str_list(v, allow_empty=True):
    return isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v) and (allow_empty or v)


def check_header(path, header, rep):
    where = path.name
    for k in header:
        if k not in HEADER_KEYS:
            rep.err(where, f"unknown key {k!r}")
    if not isinstance(header.get("version"), int) or isinstance(header.get("version"), bool) or header.get("version", 0) < 1:
        rep.err(where, "version must be a positive integer")
    if not isinstance(header.get("title"), str) or not header.get("title", "").strip():
        rep.err(where, "title must be a non-empty string")
    if not isinstance(header.get("published"), str) or not DATE.match(header.get("published", "")):
        rep.err(where, "published must be a date string YYYY-MM-DD")
    sections = header.get("sections")
    if not isinstance(sections, list) or not sections:
        rep.err(where, "[[sections]] missing")
        return {}
    keys, orders = {}, set()
    for i, s in enumerate(sections, 1):
        w = f"{where} section #{i} ({s.get('key', '?')})"
        for k in s:
            if k not in SECTION_KEYS:
                rep.err(w, f"unknown key {k!r}")
        key = s.get("key")
        if not isinstance(key, str) or not SNAKE.match(key):
            rep.err(w, "key must be snake_case")
            continue
        if key in keys:
            rep.err(w, f"duplicate section key {key}")
        keys[key] = s
        if not isinstance(s.get("label"), str) or not s.get("label", "").strip():
            rep.err(w, "label must be a non-empty string")
        if "aliases" in s and not is_str_list(s["aliases"]):
            rep.err(w, "aliases must be a list of strings")
        order = s.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            rep.err(w, "order must be an integer")
        elif order in orders:
            rep.err(w, f"duplicate order {order}")
        else:
            orders.add(order)
    return keys


def check_field(w, f, rep):
    for k in f:
        if k not in FIELD_KEYS:
            rep.err(w, f"unknown key {k!r} (allowed: {', '.join(sorted(FIELD_KEYS))})")
    for k in FIELD_REQUIRED:
        if k not in f:
            rep.err(w, f"missing {k!r}")
    if not isinstance(f.get("label", ""), str) or not f.get("label", "x").strip():
        rep.err(w, "label must be a non-empty string")
    if "aliases" in f and not is_str_list(f["aliases"]):
        rep.err(w, "aliases must be a list of non-empty strings")
    if "type" in f and f["type"] not in TYPES:
        rep.err(w, f"type {f['type']!r} not in {sorted(TYPES)}")
    if "sensitivity" in f and f["sensitivity"] not in SENSITIVITIES:
        rep.err(w, f"sensitivity {f['sensitivity']!r} not in {sorted(SENSITIVITIES)}")
    if "required" in f and not isinstance(f["required"], bool):
        rep.err(w, "required must be true or false")
    if "code_table" in f and f["code_table"] not in CODE_TABLES:
        rep.err(w, f"code_table {f['code_table']!r} not in {sorted(CODE_TABLES)}")
    if f.get("code_table") == "resident_id" and f.get("sensitivity") not in ("authorized", "internal"):
        rep.err(w, "a resident-ID field must be authorized or internal (never public/restricted)")
    if "unit" in f:
        if f["unit"] not in UNITS:
            rep.err(w, f"unit {f['unit']!r} not in {sorted(UNITS)}")
        if f.get("type") != "decimal":
            rep.err(w, "unit is only for decimal amounts")
    if "allow_future" in f:
        if not isinstance(f["allow_future"], bool):
            rep.err(w, "allow_future must be true or false")
        elif f.get("type") not in ("date", "month"):
            rep.err(w, "allow_future is only for date and month fields")
    if "note" in f and (not isinstance(f["note"], str) or "\n" in f["note"]):
        rep.err(w, "note must be a one-line string")
    if "docs" in f and (not is_str_list(f["docs"]) or not set(f["docs"]) <= DOCS):
        rep.err(w, f"docs must be a list drawn from {sorted(DOCS)}")


def check_item(file, it, sections, rep):
    key = it.get("key", "?")
    w = f"{file} {key}"
    for k in it:
        if k not in ITEM_KEYS:
            rep.err(w, f"unknown key {k!r} (allowed: {', '.join(sorted(ITEM_KEYS))})")
    for k in ITEM_REQUIRED:
        if k not in it:
            rep.err(w, f"missing {k!r}")
    section = it.get("section")
    if section not in sections:
        rep.err(w, f"section {section!r} is not a section of catalog.toml")
    if f"{section}.toml" != file:
        rep.err(w, f"item of section {section!r} must live in items/{section}.toml")
    if not isinstance(key, str) or "." not in key:
        rep.err(w, "key must be section.item")
    else:
        prefix, name = key.split(".", 1)
        if prefix != section:
            rep.err(w, f"key must start with its section {section!r}")
        if not SNAKE.match(prefix) or not SNAKE.match(name):
            rep.err(w, "both parts of the key must be snake_case")
    if not isinstance(it.get("label", ""), str) or not it.get("label", "x").strip():
        rep.err(w, "label must be a non-empty string")
    if "aliases" in it and not is_str_list(it["aliases"]):
        rep.err(w, "aliases must be a list of strings")
    modes = it.get("modes", [])
    if not is_str_list(modes, allow_empty=False) or not set(modes) <= MODES or len(set(modes)) != len(modes):
        rep.err(w, f"modes must be a non-empty list drawn from {sorted(MODES)} without repeats")
    units = it.get("source_units", [])
    if not is_str_list(units) or len(set(units)) != len(units):
        rep.err(w, "source_units must be a list of distinct non-empty strings")
    if it.get("polarity") not in POLARITIES:
        rep.err(w, f"polarity {it.get('polarity')!r} not in {sorted(POLARITIES)}")
    if it.get("polarity") == "negative" and it.get("severity") not in SEVERITIES:
        rep.err(w, f"negative items need a severity in {sorted(SEVERITIES)}")
    if it.get("polarity") != "negative" and "severity" in it:
        rep.err(w, "only negative items carry a severity")
    if "update_frequency" in it and it["update_frequency"] not in FREQUENCIES:
        rep.err(w, f"update_frequency {it['update_frequency']!r} not in {sorted(FREQUENCIES)}")
    docs = it.get("docs", [])
    if not is_str_list(docs) or not set(docs) <= DOCS or docs != sorted(set(docs)):
        rep.err(w, f"docs must be a sorted list drawn from {sorted(DOCS)}")
    if "note" in it and (not isinstance(it["note"], str) or "\n" in it["note"]):
        rep.err(w, "note must be a one-line string")
    if "self_reportable" in it:
        if not isinstance(it["self_reportable"], bool):
            rep.err(w, "self_reportable must be true or false")
        elif it["self_reportable"] and ("push" not in modes or it.get("polarity") == "negative"):
            rep.err(w, "a self_reportable item must accept push and must not be negative")

    fields = it.get("fields", [])
    if not isinstance(fields, list) or not fields:
        rep.err(w, "an item needs at least one [[items.fields]]")
        fields = []
    by_key, headers = {}, {}
    for i, f in enumerate(fields, 1):
        fk = f.get("key", f"#{i}")
        fw = f"{w}.{fk}"
        if not isinstance(fk, str) or not SNAKE.match(fk):
            rep.err(fw, "field key must be snake_case")
        if fk in by_key:
            rep.err(fw, "duplicate field key")
        by_key[fk] = f
        check_field(fw, f, rep)
        # Uploads map column headers by key, label or alias: each must name one field only.
        for h in [fk, f.get("label")] + list(f.get("aliases", [])):
            if not isinstance(h, str):
                continue
            if h in headers and headers[h] != fk:
                rep.err(fw, f"header {h!r} also names field {headers[h]} (labels and aliases must be unique in an item)")
            headers.setdefault(h, fk)
        if "docs" in f and isinstance(docs, list) and not set(f.get("docs", [])) <= set(docs):
            rep.err(fw, "field docs must be a subset of the item's docs")

    subject, natural = it.get("subject_fields", []), it.get("natural_key", [])
    if not is_str_list(subject, allow_empty=False):
        rep.err(w, "subject_fields must name at least one field")
        subject = []
    if not is_str_list(natural, allow_empty=False):
        rep.err(w, "natural_key must name at least one field (never empty)")
        natural = []
    for role, keys in (("subject field", subject), ("natural-key field", natural)):
        if len(set(keys)) != len(keys):
            rep.err(w, f"{role}s repeat a key")
        for k in keys:
            if k not in by_key:
                rep.err(w, f"{role} {k!r} is not a field of the item")
            elif by_key[k].get("required") is not True:
                rep.err(w, f"{role} {k!r} must have required = true")
    if subject and natural and natural[:len(subject)] != subject:
        rep.err(w, "natural_key must start with the subject field(s) (convention: subject + record discriminator)")
    return by_key


def load(path, rep):
    try:
        with open(path, "rb") as h:
            return tomllib.load(h)
    except FileNotFoundError:
        print(f"error: {path} not found", file=sys.stderr)
        sys.exit(2)
    except tomllib.TOMLDecodeError as e:
        print(f"error: {path}: invalid TOML: {e}", file=sys.stderr)
        sys.exit(2)


# --- reference cross-check ------------------------------------------------------------------
REF_SEC = re.compile(r"^## \d+\. `([a-z_]+)` — ")
REF_ITEM = re.compile(r"^### [\d.]+ (.+?) — `([a-z_0-9]+\.[a-z_0-9]+)`$")
REF_ROW = re.compile(r"^\| \d+ \| (.+?) \| `([^`]+)` \| (.+?) \| (.+?) \| (.+?) \| (.*?) \|$")


def parse_reference(path):
    """{item key: {"section", "label", "rows": [(label, [keys], type, sensitivity)]}}, sections."""
    items, sections, current, section = {}, [], None, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = REF_SEC.match(line)
        if m:
            section = m.group(1)
            sections.append(section)
            current = None
            continue
        if line.startswith("## "):
            section = current = None
            continue
        m = REF_ITEM.match(line)
        if m and section:
            current = items[m.group(2)] = {"section": section, "label": m.group(1).strip(), "rows": []}
            continue
        m = REF_ROW.match(line)
        if m and current is not None:
            keys = [k.strip().replace(".", "_") for k in m.group(2).split("+")]
            current["rows"].append((m.group(1).strip(), keys, m.group(3).strip(), m.group(4).strip()))
    return items, sections


def expected_sensitivity(ref):
    if ref == "public" or ref.startswith("personal (natural-person name; disclosed"):
        return "public"
    if ref == "commercial":
        return "restricted"
    return "authorized"


def cross_check(ref_path, sections, items, rep, verbose):
    ref_items, ref_sections = parse_reference(ref_path)
    print(f"reference: {ref_path} — {len(ref_sections)} sections, {len(ref_items)} items, "
          f"{sum(len(r['rows']) for r in ref_items.values())} field rows")
    for s in ref_sections:
        if s not in sections:
            rep.err("reference", f"section {s} missing from catalog.toml")
    deviations = []
    for key, ref in ref_items.items():
        it = items.get(key)
        if it is None:
            rep.err("reference", f"item {key} ({ref['label']}) missing from the data")
            continue
        if it["section"] != ref["section"]:
            rep.err("reference", f"item {key} is in section {it['section']}, reference says {ref['section']}")
        fields = {f["key"]: f for f in it.get("fields", [])}
        for label, keys, rtype, rsens in ref["rows"]:
            absent = [k for k in keys if k not in fields]
            if absent:
                rep.err("reference", f"{key}: field row {label!r} -> {' + '.join(keys)}: missing {', '.join(absent)}")
                continue
            types = [t.strip() for t in rtype.split("+")]
            for k, t in zip(keys, types + types[-1:] * len(keys)):
                f = fields[k]
                want = expected_sensitivity(rsens)
                if f.get("sensitivity") != want:
                    deviations.append(f"{key}.{k}: sensitivity {f.get('sensitivity')} (reference {rsens!r} maps to {want})")
                if f.get("type") != t and not (t == "date" and f.get("type") == "month"):
                    deviations.append(f"{key}.{k}: type {f.get('type')} (reference {t})")
    extra_items = sorted(set(items) - set(ref_items))
    print(f"cross-check: every reference item and field key present"
          if not any(e.startswith("reference") for e in rep.errors) else "cross-check: see errors")
    if extra_items:
        print(f"  items not in the reference (added later): {', '.join(extra_items)}")
    print(f"  deliberate deviations from the reference's suggested type/sensitivity: {len(deviations)}"
          + ("" if verbose or not deviations else " (--verbose lists them)"))
    if verbose:
        for d in deviations:
            print(f"    {d}")


def main():
    ap = argparse.ArgumentParser(description="Validate catalog/v1 (信用信息目录).")
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="catalogue directory (default: catalog/v1)")
    ap.add_argument("--reference", type=Path, default=DEFAULT_REF, help="union catalogue markdown")
    ap.add_argument("--no-reference", action="store_true", help="skip the cross-check")
    ap.add_argument("--expect-sections", type=int, default=EXPECTED_SECTIONS)
    ap.add_argument("--expect-items", type=int, default=EXPECTED_ITEMS)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    rep = Report()

    header = load(args.dir / "catalog.toml", rep)
    sections = check_header(args.dir / "catalog.toml", header, rep)
    item_files = sorted((args.dir / "items").glob("*.toml"))
    if not item_files:
        rep.err(str(args.dir / "items"), "no item files")
    items = {}
    for path in item_files:
        data = load(path, rep)
        for k in data:
            if k != "items":
                rep.err(path.name, f"unknown top-level key {k!r} (only [[items]])")
        if path.stem not in sections:
            rep.err(path.name, f"file name must be a section key of catalog.toml ({path.stem!r} is not)")
        file_items = data.get("items", [])
        if not file_items:
            rep.err(path.name, "no [[items]]")
        for it in file_items:
            check_item(path.name, it, sections, rep)
            key = it.get("key")
            if key in items:
                rep.err(f"{path.name} {key}", "duplicate item key")
            items[key] = it
    for s in sections:
        if not (args.dir / "items" / f"{s}.toml").exists():
            rep.err("catalog.toml", f"section {s} has no items/{s}.toml")
    if len(sections) != args.expect_sections:
        rep.err("catalog.toml", f"{len(sections)} sections, expected exactly {args.expect_sections}")
    if len(items) != args.expect_items:
        rep.err("items", f"{len(items)} items, expected exactly {args.expect_items}")

    # Counts
    fields = [f for it in items.values() for f in it.get("fields", [])]
    sens = Counter(f.get("sensitivity") for f in fields)
    modes = Counter("+".join(sorted(it.get("modes", []), reverse=True)) for it in items.values())
    pol = Counter(it.get("polarity") for it in items.values())
    ftypes = Counter(f.get("type") for f in fields)
    print(f"catalogue {args.dir}: version {header.get('version')}, published {header.get('published')}")
    print(f"  sections: {len(sections)}")
    print(f"  items:    {len(items)}")
    print(f"  fields:   {len(fields)} (required {sum(1 for f in fields if f.get('required'))})")
    print("  fields per sensitivity: " + ", ".join(f"{k} {sens.get(k, 0)}" for k in ("public", "restricted", "authorized", "internal")))
    print("  items per mode: " + ", ".join(f"{k} {modes.get(k, 0)}" for k in ("push", "pull", "push+pull"))
          + f" (push-capable {sum(v for k, v in modes.items() if 'push' in k)}, pull-capable {sum(v for k, v in modes.items() if 'pull' in k)})")
    print("  items per polarity: " + ", ".join(f"{k} {pol.get(k, 0)}" for k in ("negative", "positive", "neutral")))
    freq = Counter(it.get("update_frequency") for it in items.values())
    print("  items per update frequency: " + ", ".join(f"{k} {freq.get(k, 0)}" for k in ("daily", "weekly", "monthly", "quarterly", "yearly", "on_change")))
    print(f"  fields allowing future dates: {sum(1 for f in fields if f.get('allow_future'))}")
    print("  fields per type: " + ", ".join(f"{k} {v}" for k, v in sorted(ftypes.items(), key=lambda kv: -kv[1])))
    if args.verbose:
        for s in sections:
            its = [i for i in items.values() if i.get("section") == s]
            print(f"    {s:<32} {len(its):>3} items {sum(len(i.get('fields', [])) for i in its):>4} fields")

    if not args.no_reference:
        if args.reference.exists():
            cross_check(args.reference, sections, items, rep, args.verbose)
        else:
            print(f"warning: reference {args.reference} not found: cross-check skipped (--reference PATH)")

    if rep.errors:
        print(f"\nFAILED: {len(rep.errors)} violation(s)", file=sys.stderr)
        for e in rep.errors:
            print(f"  {e}", file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
