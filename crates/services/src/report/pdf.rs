//! The credit report as a PDF (krilla): A4 portrait, Noto Sans CJK SC embedded and subset (krilla
//! subsets every font it embeds to the glyphs used), a cover, the evaluation and tags, then one
//! block per catalogue section with key–value lines; every page's footer carries the report id,
//! the digest of the report's content and "第 n 页 / 共 m 页". The report id is also in the
//! document metadata (keywords `xinrong-report:<id>`), which verification looks for.
//!
//! Layout is two passes: lines are wrapped by measuring glyph advances in the font and placed
//! on pages, then the pages are drawn once their number is known. Rendering is deterministic:
//! the same report gives the same bytes.

use super::json::{int as n, list as arr, text as s};
use super::verify::PDF_ID_MARKER;
use super::{IssuedReport, NO_RECORDS, RecordPart, ReportBody};
use crate::error::{ServiceError, ServiceResult};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use serde_json::Value;
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::sync::OnceLock;

/// Noto Sans CJK SC Regular, subset to ASCII, CJK punctuation, full-width forms, GB2312 and every
/// character of the catalogue, models and templates (see `assets/fonts/README.md`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Report.otf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const TOP: f32 = 64.0;
/// Where the body stops; the footer lives below.
const BOTTOM: f32 = PAGE_H - 72.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.0;
const LEADING: f32 = 1.5;

struct Fonts {
    font: Font,
    advances: Advances,
}

/// Glyph advances of the font, in ems.
struct Advances {
    widths: Vec<f32>,
    fallback: f32,
}

impl Advances {
    fn load() -> Option<Advances> {
        let font = skrifa::FontRef::new(FONT_BYTES).ok()?;
        let upem = font
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let charmap = font.charmap();
        let fallback = metrics
            .advance_width(skrifa::GlyphId::NOTDEF)
            .unwrap_or(upem)
            / upem;
        // The Basic Multilingual Plane, looked up once.
        let widths = (0u32..0x10000)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|ch| charmap.map(ch))
                    .and_then(|g| metrics.advance_width(g))
                    .map_or(-1.0, |w| w / upem)
            })
            .collect();
        Some(Advances { widths, fallback })
    }

    fn em(&self, c: char) -> f32 {
        match self.widths.get(c as usize) {
            Some(w) if *w >= 0.0 => *w,
            _ => self.fallback,
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.em(c)).sum::<f32>() * size
    }
}

fn fonts() -> ServiceResult<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                font: Font::new(FONT_BYTES.into(), 0)?,
                advances: Advances::load()?,
            })
        })
        .as_ref()
        .ok_or_else(|| ServiceError::invalid("report.font", "报告字体无法加载"))
}

/// Where a break may come before `c` (CJK text breaks between any two characters).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Characters that must not begin a line (they hang at the end of the previous one instead).
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』】〕’”…,.;:?!)]}%".contains(c)
}

/// Splits `text` into lines no wider than `width` at `size`: CJK text between any two
/// characters, other text at spaces (a word longer than the line is cut).
fn wrap(advances: &Advances, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0f32;
        // Byte offset in `line` where it may be broken.
        let mut last_break: Option<usize> = None;
        for c in paragraph.chars() {
            let cw = advances.em(c) * size;
            if w + cw > width && !line.is_empty() && !no_line_start(c) {
                if c == ' ' {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                    last_break = None;
                    continue;
                }
                match last_break.filter(|b| *b > 0 && *b < line.len() && !is_cjk(c)) {
                    Some(b) => {
                        let tail = line.split_off(b);
                        lines.push(line.trim_end().to_owned());
                        line = tail.trim_start().to_owned();
                    }
                    None => {
                        lines.push(std::mem::take(&mut line));
                    }
                }
                w = advances.width(&line, size);
                last_break = None;
            }
            if is_cjk(c) {
                last_break = Some(line.len());
            }
            line.push(c);
            w += cw;
            if c == ' ' || is_cjk(c) {
                last_break = Some(line.len());
            }
        }
        lines.push(line);
    }
    lines
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        color: (u8, u8, u8),
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: u8,
    },
}

const BLACK: (u8, u8, u8) = (0, 0, 0);
const GRAY: (u8, u8, u8) = (96, 96, 96);
const RED: (u8, u8, u8) = (160, 32, 32);
const BLUE: (u8, u8, u8) = (20, 60, 130);

struct Layout<'a> {
    adv: &'a Advances,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Layout<'a> {
    fn new(adv: &'a Advances) -> Self {
        Layout {
            adv,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    fn text_at(&mut self, x: f32, size: f32, text: &str, color: (u8, u8, u8)) {
        self.push(Op::Text {
            x,
            y: self.y + size,
            size,
            text: text.to_owned(),
            color,
        });
    }

    /// A wrapped paragraph starting at `x`.
    fn paragraph(&mut self, x: f32, size: f32, text: &str, color: (u8, u8, u8)) {
        let width = PAGE_W - MARGIN_X - x;
        for line in wrap(self.adv, text, size, width) {
            self.ensure(size * LEADING);
            self.text_at(x, size, &line, color);
            self.y += size * LEADING;
        }
    }

    /// A label and its wrapped value beside it.
    fn kv(&mut self, x: f32, label_w: f32, label: &str, value: &str, color: (u8, u8, u8)) {
        let size = BODY;
        let label_lines = wrap(self.adv, label, size, label_w - 6.0);
        let value_lines = wrap(self.adv, value, size, PAGE_W - MARGIN_X - x - label_w);
        let rows = label_lines.len().max(value_lines.len());
        for i in 0..rows {
            self.ensure(size * LEADING);
            if let Some(l) = label_lines.get(i) {
                self.text_at(x, size, l, GRAY);
            }
            if let Some(v) = value_lines.get(i) {
                self.text_at(x + label_w, size, v, color);
            }
            self.y += size * LEADING;
        }
    }

    fn heading(&mut self, text: &str, size: f32) {
        self.ensure(size * 2.0 + BODY * LEADING * 3.0);
        self.y += size * 0.6;
        self.text_at(MARGIN_X, size, text, BLUE);
        self.y += size * 1.4;
        self.push(Op::Rule {
            x1: MARGIN_X,
            x2: PAGE_W - MARGIN_X,
            y: self.y - size * 0.3,
            width: 0.6,
            gray: 150,
        });
        self.y += size * 0.3;
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }
}

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        _ if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) % 10]),
        _ => format!("{}十{}", DIGITS[(n / 10) % 10], DIGITS[n % 10]),
    }
}

/// A UTC RFC 3339 time as people in China read it.
fn shown_time(text: &str) -> String {
    super::parse_time(text)
        .map(xinrong_core::clock::display)
        .unwrap_or_else(|| text.to_owned())
}

/// What a hidden indicator, factor or tag says (the reason is in the section's notices).
pub const HIDDEN: &str = "未提供（须取得信息主体授权，见本节说明）";

/// The text of an indicator or factor, or [`HIDDEN`] when the reader may not see it.
fn shown_text(v: &Value) -> &str {
    if v.get("shown").and_then(Value::as_bool) == Some(false) {
        HIDDEN
    } else {
        s(v, "text").unwrap_or_default()
    }
}

/// The flags of a record, in words.
pub fn flags(r: &RecordPart) -> Vec<&'static str> {
    let mut out = Vec::new();
    if r.objection_pending {
        out.push("异议处理中");
    }
    if r.repaired {
        out.push("已信用修复");
    }
    if r.self_declared {
        out.push("企业自主填报");
    }
    out
}

fn cover(l: &mut Layout, body: &ReportBody, digest: &str) {
    let title = &body.title;
    let tw = l.adv.width(title, 24.0);
    l.y = 150.0;
    l.text_at((PAGE_W - tw) / 2.0, 24.0, title, BLACK);
    l.y += 40.0;
    let sub = "Standardised Credit Information Report";
    let sw = l.adv.width(sub, 11.0);
    l.text_at((PAGE_W - sw) / 2.0, 11.0, sub, GRAY);
    l.y += 60.0;
    let x = MARGIN_X + 20.0;
    let lw = 130.0;
    l.kv(x, lw, "报告编号", &body.report_id, BLACK);
    l.kv(x, lw, "信息主体", &body.subject.name, BLACK);
    l.kv(x, lw, "统一社会信用代码", &body.subject.uscc, BLACK);
    l.kv(x, lw, "查询机构", &body.requester.org_name, BLACK);
    if let Some(user) = &body.requester.user_id {
        l.kv(x, lw, "查询用户", user, BLACK);
    }
    let purpose = match (&body.purpose.label, &body.purpose.code) {
        (Some(label), Some(code)) => format!("{label}（{code}）"),
        _ => "—".to_owned(),
    };
    l.kv(x, lw, "查询用途", &purpose, BLACK);
    if let Some(text) = &body.purpose.text {
        l.kv(x, lw, "用途说明", text, BLACK);
    }
    if !body.authorization_ids.is_empty() {
        l.kv(x, lw, "依据授权", &body.authorization_ids.join("、"), BLACK);
    }
    l.kv(
        x,
        lw,
        "报告生成时间",
        &format!("{}（北京时间）", shown_time(&body.generated_at)),
        BLACK,
    );
    let as_of = body
        .data_as_of
        .as_deref()
        .map_or_else(|| "暂无记录".to_owned(), shown_time);
    l.kv(x, lw, "数据截至", &as_of, BLACK);
    l.kv(
        x,
        lw,
        "信息资源目录版本",
        &format!("第 {} 版", body.catalog_version),
        BLACK,
    );
    l.kv(x, lw, "报告摘要（SM3）", digest, BLACK);
    l.kv(x, lw, "核验地址", &body.verify_path, BLACK);
    l.gap(30.0);
    l.paragraph(
        x,
        9.0,
        "说明：本报告由信融平台依据信息资源目录和访问控制规则生成。受限信息已按查询机构的查询依据脱敏或不予提供，并注明原因及取得授权的方式。本次查询已记入信息主体的查询记录；报告摘要已锚定在防篡改账本中，可在核验地址上传本报告的 JSON 或 PDF 文件核验真伪。",
        GRAY,
    );
}

fn evaluation(l: &mut Layout, body: &ReportBody, number: &mut usize) {
    *number += 1;
    l.heading(
        &format!("{}、公共信用综合评价", chinese_number(*number)),
        14.0,
    );
    let lw = 110.0;
    match &body.evaluation {
        None => l.paragraph(
            MARGIN_X,
            BODY,
            body.evaluation_notice
                .as_deref()
                .unwrap_or("暂无公共信用综合评价结果"),
            GRAY,
        ),
        Some(ev) => {
            if let (Some(score), Some(grade)) = (n(ev, "score"), s(ev, "grade")) {
                l.kv(
                    MARGIN_X,
                    lw,
                    "综合得分",
                    &format!("{score} 分（满分 1000）"),
                    BLACK,
                );
                let label = s(ev, "grade_label").unwrap_or("");
                l.kv(MARGIN_X, lw, "信用等级", &format!("{grade} {label}"), BLACK);
                if let Some(m) = s(ev, "grade_meaning") {
                    l.kv(MARGIN_X, lw, "等级含义", m, BLACK);
                }
            }
            if let Some(name) = s(ev, "model_name") {
                let version = n(ev, "model_version").unwrap_or_default();
                l.kv(
                    MARGIN_X,
                    lw,
                    "评价模型",
                    &format!("{name}（第 {version} 版）"),
                    BLACK,
                );
            }
            if let Some(at) = s(ev, "evaluated_at") {
                l.kv(MARGIN_X, lw, "评价时间", &shown_time(at), BLACK);
            }
            for notice in arr(ev, "notices") {
                let text = notice
                    .as_str()
                    .or_else(|| s(notice, "message"))
                    .unwrap_or_default();
                if !text.is_empty() {
                    l.paragraph(MARGIN_X, BODY, &format!("说明：{text}"), RED);
                }
            }
            let dims = arr(ev, "dimensions");
            if !dims.is_empty() {
                l.gap(4.0);
                l.text_at(MARGIN_X, BODY, "维度得分", BLUE);
                l.gap(BODY * LEADING);
                for d in dims {
                    let label = s(d, "label").unwrap_or_default();
                    let weight = n(d, "weight").unwrap_or_default();
                    let points = n(d, "points").unwrap_or_default();
                    l.kv(
                        MARGIN_X + 12.0,
                        lw,
                        label,
                        &format!("{points} 分（权重 {weight}‰）"),
                        BLACK,
                    );
                }
            }
            for (key, title, color) in [
                ("top_positive", "主要正面因素", BLACK),
                ("top_negative", "主要负面因素", RED),
            ] {
                let factors = arr(ev, key);
                if factors.is_empty() {
                    continue;
                }
                l.gap(4.0);
                l.text_at(MARGIN_X, BODY, title, BLUE);
                l.gap(BODY * LEADING);
                for f in factors {
                    let text = shown_text(f);
                    l.paragraph(MARGIN_X + 12.0, BODY, &format!("· {text}"), color);
                }
            }
            let indicators = arr(ev, "indicators");
            if !indicators.is_empty() {
                l.gap(4.0);
                l.text_at(MARGIN_X, BODY, "指标明细", BLUE);
                l.gap(BODY * LEADING);
                for i in indicators {
                    let label = s(i, "label").unwrap_or_default();
                    let text = shown_text(i);
                    let c = n(i, "contribution")
                        .map(|c| format!("（{c} 分）"))
                        .unwrap_or_default();
                    l.kv(MARGIN_X + 12.0, lw, label, &format!("{text}{c}"), BLACK);
                }
            }
        }
    }
    *number += 1;
    l.heading(&format!("{}、画像标签", chinese_number(*number)), 14.0);
    let tags: Vec<&Value> = body
        .evaluation
        .as_ref()
        .map(|ev| arr(ev, "tags").iter().collect())
        .unwrap_or_default();
    if tags.is_empty() {
        l.paragraph(MARGIN_X, BODY, "暂无画像标签", GRAY);
    }
    for t in tags {
        let text = if t.get("shown").and_then(Value::as_bool) == Some(false) {
            HIDDEN.to_owned()
        } else {
            s(t, "label").unwrap_or_default().to_owned()
        };
        let color = if s(t, "polarity") == Some("negative") {
            RED
        } else {
            BLACK
        };
        l.paragraph(MARGIN_X + 12.0, BODY, &format!("· {text}"), color);
    }
}

fn sections(l: &mut Layout, body: &ReportBody, number: &mut usize) {
    for section in &body.sections {
        *number += 1;
        l.heading(
            &format!("{}、{}", chinese_number(*number), section.label),
            13.0,
        );
        if let Some(notice) = &section.notice {
            l.paragraph(MARGIN_X, BODY, &format!("说明：{}", notice.message), RED);
        }
        if section.items.is_empty() {
            l.paragraph(
                MARGIN_X,
                BODY,
                section.empty_text.as_deref().unwrap_or(NO_RECORDS),
                GRAY,
            );
            continue;
        }
        for item in &section.items {
            l.ensure(BODY * LEADING * 4.0);
            l.gap(3.0);
            l.paragraph(
                MARGIN_X,
                10.5,
                &format!("【{}】 查询依据：{}", item.label, item.basis),
                BLACK,
            );
            if let Some(notice) = &item.notice
                && section.notice.as_ref() != Some(notice)
            {
                l.paragraph(
                    MARGIN_X + 12.0,
                    9.0,
                    &format!("说明：{}", notice.message),
                    RED,
                );
            }
            for (i, r) in item.records.iter().enumerate() {
                let mut line = format!(
                    "记录 {} · 来源：{} · 更新：{} · 目录第 {} 版",
                    i + 1,
                    r.source_unit,
                    shown_time(&r.updated_at),
                    r.catalog_version
                );
                for f in flags(r) {
                    line.push_str(&format!(" ［{f}］"));
                }
                l.ensure(BODY * LEADING * 3.0);
                l.paragraph(MARGIN_X + 12.0, SMALL + 0.5, &line, GRAY);
                if let Some(w) = &r.withheld {
                    l.paragraph(
                        MARGIN_X + 24.0,
                        9.0,
                        &format!("不予提供：{}", w.message),
                        RED,
                    );
                    continue;
                }
                for f in r.fields.iter().filter(|f| !identifies_subject(body, f)) {
                    let (value, color) = match f.disclosure.as_str() {
                        "masked" => (format!("{}（已脱敏）", f.value), BLACK),
                        "withheld" => ("未提供（须取得信息主体授权）".to_owned(), RED),
                        _ => (f.value.clone(), BLACK),
                    };
                    l.kv(MARGIN_X + 24.0, 120.0, &f.label, &value, color);
                }
            }
        }
    }
}

/// A field that only repeats who the subject is (its USCC or name): left out of the printed
/// records, which are all about that subject (the JSON keeps every field).
pub fn identifies_subject(body: &ReportBody, f: &super::FieldPart) -> bool {
    f.disclosure == "clear" && (f.value == body.subject.uscc || f.value == body.subject.name)
}

fn color(c: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        ..Fill::default()
    }
}

/// Renders the report as a PDF.
pub fn render_pdf(report: &IssuedReport) -> ServiceResult<Vec<u8>> {
    let fonts = fonts()?;
    let body = &report.body;
    let mut l = Layout::new(&fonts.advances);
    cover(&mut l, body, &report.digest);
    l.new_page();
    let mut number = 0;
    evaluation(&mut l, body, &mut number);
    sections(&mut l, body, &mut number);
    let total = l.pages.len();

    let mut document = Document::new();
    let generated = report.generated_at();
    let mut metadata = Metadata::new()
        .title(format!("{} · {}", body.title, body.subject.name))
        .description(format!(
            "{PDF_ID_MARKER}{} subject {} digest {}",
            body.report_id, body.subject.uscc, report.digest
        ))
        .keywords(vec![
            format!("{PDF_ID_MARKER}{}", body.report_id),
            format!("sm3:{}", report.digest),
        ])
        .creator("xinrong 信融".to_owned())
        .producer("xinrong 信融".to_owned())
        .language("zh-CN".to_owned())
        .document_id(body.report_id.clone());
    {
        use chrono::{Datelike, Timelike};
        metadata = metadata.creation_date(
            PdfDateTime::new(generated.year() as u16)
                .month(generated.month() as u8)
                .day(generated.day() as u8)
                .hour(generated.hour() as u8)
                .minute(generated.minute() as u8)
                .second(generated.second() as u8)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    document.set_metadata(metadata);
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
    for (index, ops) in l.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut current: Option<(u8, u8, u8)> = None;
        let mut text = |surface: &mut krilla::surface::Surface<'_>,
                        x: f32,
                        y: f32,
                        size: f32,
                        t: &str,
                        c: (u8, u8, u8)| {
            if t.is_empty() {
                return;
            }
            if current != Some(c) {
                surface.set_fill(Some(color(c)));
                current = Some(c);
            }
            surface.draw_text(
                Point::from_xy(x, y),
                fonts.font.clone(),
                size,
                t,
                false,
                TextDirection::Auto,
            );
        };
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    text: t,
                    color: c,
                } => text(&mut surface, *x, *y, *size, t, *c),
                Op::Rule {
                    x1,
                    x2,
                    y,
                    width,
                    gray,
                } => rule(&mut surface, *x1, *x2, *y, *width, *gray),
            }
        }
        // Footer: the report id and digest on the left, the page number on the right.
        let fy = PAGE_H - 52.0;
        rule(&mut surface, MARGIN_X, PAGE_W - MARGIN_X, fy, 0.4, 170);
        text(
            &mut surface,
            MARGIN_X,
            fy + 13.0,
            7.0,
            &format!("报告编号 {}", body.report_id),
            GRAY,
        );
        text(
            &mut surface,
            MARGIN_X,
            fy + 24.0,
            7.0,
            &format!("SM3 {}", report.digest),
            GRAY,
        );
        let label = format!("第 {} 页 / 共 {} 页", index + 1, total);
        let w = fonts.advances.width(&label, 8.0);
        text(
            &mut surface,
            PAGE_W - MARGIN_X - w,
            fy + 13.0,
            8.0,
            &label,
            GRAY,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ServiceError::invalid("report.pdf", format!("PDF 生成失败：{e:?}")))
}

fn rule(
    surface: &mut krilla::surface::Surface<'_>,
    x1: f32,
    x2: f32,
    y: f32,
    width: f32,
    gray: u8,
) {
    let mut pb = PathBuilder::new();
    pb.move_to(x1, y);
    pb.line_to(x2, y);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(gray, gray, gray).into(),
            width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_their_width_and_keep_every_character() {
        let adv = &fonts().unwrap().advances;
        let text = "江苏省南京市玄武区中山路100号某某科技有限公司，统一社会信用代码91320102MA1XXXXXXX，Public records are wrapped at spaces。";
        for width in [60.0, 120.0, 300.0] {
            let lines = wrap(adv, text, 10.0, width);
            for line in &lines {
                // A hanging punctuation mark may exceed by its own width.
                assert!(adv.width(line, 10.0) <= width + 10.0, "{line} > {width}");
            }
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let original: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, original);
        }
        assert_eq!(wrap(adv, "", 10.0, 100.0), vec![String::new()]);
    }

    #[test]
    fn cjk_is_full_width_and_latin_narrower() {
        let adv = &fonts().unwrap().advances;
        assert!((adv.em('信') - 1.0).abs() < 0.01);
        assert!(adv.em('i') < 0.5);
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(13), "十三");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(24), "二十四");
    }
}
