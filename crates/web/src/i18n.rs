//! Simplified Chinese first, English available: the language is Chinese unless the `xr_lang`
//! cookie (set by the switch in the page header) asks for English. `Accept-Language` is not
//! followed: clerks on English-locale machines still get the Chinese platform they expect.

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;

pub const LANG_COOKIE: &str = "xr_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let jar = CookieJar::from_headers(headers);
        match jar.get(LANG_COOKIE) {
            Some(c) if c.value() == "en" => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// Translator handed to every template: `{{ tr.t("nav.home") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        match MESSAGES.iter().find(|(k, _, _)| *k == key) {
            Some((_, zh, en)) => match self.0 {
                Lang::Zh => zh,
                Lang::En => en,
            },
            // A missing key is a bug the i18n test catches; show the key rather than nothing.
            None => "??",
        }
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    pub fn is_en(&self) -> bool {
        self.0 == Lang::En
    }

    pub fn role(&self, role: &xinrong_core::role::Role) -> &'static str {
        match self.0 {
            Lang::Zh => role.label_zh(),
            Lang::En => role.label_en(),
        }
    }
}

/// (key, 简体中文, English)
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "app.name",
        "信融 · 融资信用服务平台",
        "Xinrong · Financing Credit Service Platform",
    ),
    ("app.short", "信融", "Xinrong"),
    ("nav.home", "首页", "Home"),
    ("nav.enterprises", "企业名录", "Enterprises"),
    ("nav.tokens", "API 令牌", "API tokens"),
    ("nav.organizations", "机构管理", "Organisations"),
    ("nav.catalog", "信用信息目录", "Catalogue"),
    ("nav.collect", "数据报送", "Submit data"),
    ("nav.quality", "数据质量", "Data quality"),
    // 异议, 信用修复
    ("nav.objections", "异议", "Objections"),
    ("nav.repairs", "信用修复", "Credit repair"),
    ("obj.queue", "异议处理", "Objection queue"),
    ("obj.lead", "企业可对本企业的任一信用记录提出异议，由数据提供单位在规定的工作日内核实维持或更正；企业对核实结果不认可的，可提请平台复核。逾期未处理的异议提示平台督办。", "An enterprise may object to any record about itself; the source unit confirms or corrects it within the deadline in working days, and the enterprise may escalate a confirmation to the operator. Overdue objections are flagged to the operator."),
    ("obj.new", "提出异议", "File an objection"),
    ("obj.new_lead", "请说明记录有误的理由，可附证明材料。异议处理期间，所有查询方都会看到该记录“异议处理中”。", "State why the record is wrong and attach evidence if you have it. While the objection is in process every reader sees the record marked as under objection."),
    ("obj.item", "信息项", "Item"),
    ("obj.record", "记录编号", "Record ID"),
    ("obj.version", "版本", "Version"),
    ("obj.provider", "数据提供单位", "Source unit"),
    ("obj.status", "状态", "Status"),
    ("obj.filed_at", "提出时间", "Filed"),
    ("obj.deadline", "处理时限", "Deadline"),
    ("obj.overdue", "已逾期", "Overdue"),
    ("obj.overdue_only", "只看逾期", "Overdue only"),
    ("obj.escalated", "待平台复核", "Escalated"),
    ("obj.subject", "信息主体", "Subject"),
    ("obj.none", "暂无异议", "No objections"),
    ("obj.all", "全部状态", "All statuses"),
    ("obj.filter", "筛选", "Filter"),
    ("obj.reason", "异议理由", "Reason"),
    ("obj.attachments", "证明材料", "Attachments"),
    ("obj.attachments_rule", "可上传 PDF、JPEG、PNG 文件，每个不超过 10 MiB，最多 10 个；文件内容须与类型相符。", "PDF, JPEG or PNG, at most 10 MiB each and 10 files; the content must match the type."),
    ("obj.submit", "提交异议", "Submit objection"),
    ("obj.timeline", "处理过程", "Timeline"),
    ("obj.in_process", "该记录已有异议正在处理中。", "An objection to this record is in process."),
    ("obj.in_process_short", "异议处理中", "Under objection"),
    ("obj.choose", "选择要提出异议的记录", "Choose a record"),
    ("obj.no_records", "平台尚无本企业的信用记录", "The platform holds no records about your enterprise"),
    ("obj.received", "归集时间", "Received"),
    ("obj.file_here", "提出异议", "Object"),
    ("obj.detail", "异议详情", "Objection"),
    ("obj.explanation", "核实说明", "Explanation"),
    ("obj.escalation_reason", "复核理由", "Reason for review"),
    ("obj.operator_reason", "复核意见", "Operator's reasons"),
    ("obj.confirm", "核实维持", "Confirm the record"),
    ("obj.correct", "提交更正", "Correct the record"),
    ("obj.row", "更正后的记录（JSON 对象，字段名或中文名 → 值；信息主体与记录标识不可改变）", "Corrected record (JSON object, field key or label → value; subject and key fields unchanged)"),
    ("obj.escalate", "提请平台复核", "Escalate to the operator"),
    ("obj.withdraw", "撤回异议", "Withdraw"),
    ("obj.accept", "接受核实结果", "Accept the result"),
    ("obj.ruling", "复核决定", "Ruling"),
    ("obj.uphold", "维持原记录", "Uphold the record"),
    ("obj.order", "责令更正", "Order a correction"),
    ("obj.decide", "提交复核决定", "Submit ruling"),
    ("obj.back", "返回列表", "Back to the list"),
    ("repair.lead", "处罚和失信记录在最短公示期届满后，企业可在纠正失信行为、签署信用承诺并提交证明材料后申请信用修复，由数据提供单位或平台审核。修复后该记录不再在公开信息、信用报告和评价中展示，历史记录保留。", "Once a penalty or dishonesty record's minimum publicity period has passed, the enterprise may apply for repair with evidence of correction and a signed commitment; the source unit or the operator reviews. A repaired record leaves the public sections, reports and evaluation; its history is kept."),
    ("repair.choose", "选择要修复的记录", "Choose a record"),
    ("repair.none", "暂无信用修复申请", "No repair applications"),
    ("repair.apply", "申请信用修复", "Apply for credit repair"),
    ("repair.severity", "严重程度", "Severity"),
    ("repair.period_start", "公示起始日", "Publicity starts"),
    ("repair.opens_on", "可申请日期", "Applications open"),
    ("repair.opens_from", "最短公示期未满，可申请日期：", "Minimum publicity period not yet passed; applications open on "),
    ("repair.not_negative", "该记录不是处罚或失信信息，无需信用修复。", "This is not a penalty or dishonesty record; it needs no repair."),
    ("repair.repaired", "已完成信用修复", "Repaired"),
    ("repair.pending", "已有待审核的申请", "An application is pending"),
    ("repair.statement", "整改情况说明", "How the violation was corrected"),
    ("repair.evidence", "整改证明材料", "Evidence of correction"),
    ("repair.commitment", "信用承诺书", "Credit commitment"),
    ("repair.sign", "我已阅读并签署上述信用承诺", "I have read and sign the commitment above"),
    ("repair.detail", "信用修复申请", "Repair application"),
    ("repair.review_reason", "审核意见", "Review reasons"),
    ("repair.verdict", "审核结果", "Verdict"),
    ("repair.approve", "同意修复", "Approve"),
    ("repair.reject", "不予修复（须说明理由）", "Reject (give the reason)"),
    ("repair.submit_review", "提交审核", "Submit review"),
    (
        "quality.lead",
        "按信息项统计本单位报送数据的完整率、有效率、重复率、时效与错误趋势，以及数据被各类机构使用的情况。",
        "Completeness, validity, duplicates, freshness and the error trend of your data per item, and how institutions used it.",
    ),
    (
        "quality.ranking",
        "数据提供单位质量排名",
        "Provider quality ranking",
    ),
    (
        "quality.ranking_lead",
        "综合得分 = 有效率×40% + 完整率×30% + (1−重复率)×10% + 及时率×20%；尚未报送的单位排在最后。",
        "Score = 40% validity + 30% completeness + 10% (1 − duplicate rate) + 20% timeliness; providers that sent nothing come last.",
    ),
    ("quality.score", "综合得分", "Score"),
    ("quality.completeness", "完整率", "Completeness"),
    ("quality.validity", "有效率", "Validity"),
    ("quality.duplicate", "重复率", "Duplicates"),
    ("quality.timeliness", "及时率", "Timeliness"),
    ("quality.batches", "批次数", "Batches"),
    ("quality.reads_30d", "近30天使用次数", "Reads (30 days)"),
    ("quality.reads_total", "累计使用次数", "Reads (all time)"),
    (
        "quality.reads",
        "使用次数（近30天/累计）",
        "Reads (30 days / all)",
    ),
    ("quality.generated_at", "统计时间", "As of"),
    ("quality.by_item", "分信息项质量", "Quality per item"),
    (
        "quality.no_items",
        "本单位尚无负责的信息项，也未报送过数据",
        "Your unit has no items and has sent no data",
    ),
    ("quality.frequency", "更新频率", "Update frequency"),
    ("quality.last_batch", "最近报送", "Last batch"),
    ("quality.freshness", "时效", "Freshness"),
    ("quality.trend", "错误趋势", "Error trend"),
    (
        "quality.legend",
        "错误趋势为最近10个批次的不合格行占比（由旧到新）；时效：超过一个更新周期为待更新，再超过半个周期为逾期，随变随报的信息项不按时间判断。",
        "The error trend shows the rejected share of the last 10 batches, oldest first. Freshness: due after one update period, overdue half a period later; on-change items are not judged by age.",
    ),
    ("quality.usage", "数据使用情况", "Data usage"),
    (
        "quality.no_reads",
        "本单位数据尚未被使用",
        "Your data has not been read yet",
    ),
    ("quality.reader_kind", "使用机构类型", "Reader kind"),
    ("quality.rank", "排名", "Rank"),
    ("quality.overdue_items", "逾期信息项", "Overdue items"),
    (
        "quality.no_providers",
        "尚无数据提供单位",
        "No data providers yet",
    ),
    ("quality.freq.daily", "每日", "Daily"),
    ("quality.freq.weekly", "每周", "Weekly"),
    ("quality.freq.monthly", "每月", "Monthly"),
    ("quality.freq.quarterly", "每季度", "Quarterly"),
    ("quality.freq.yearly", "每年", "Yearly"),
    ("quality.freq.on_change", "随变随报", "On change"),
    ("quality.fresh.fresh", "按期", "Fresh"),
    ("quality.fresh.due", "待更新", "Due"),
    ("quality.fresh.overdue", "逾期", "Overdue"),
    ("quality.fresh.on_change", "随变随报", "On change"),
    ("quality.fresh.none", "尚未报送", "Nothing sent"),
    ("quality.dir.improving", "好转", "Improving"),
    ("quality.dir.worsening", "变差", "Worsening"),
    ("quality.dir.steady", "平稳", "Steady"),
    ("nav.ledger", "防篡改账本", "Ledger"),
    (
        "ledger.lead",
        "每个入库的记录版本和每个批次清单都是账本（RFC 9162 默克尔树，SM3）的一片叶子；每个批次之后平台用 SM2 私钥签署树头。任何人都可以用平台公钥核对树头，并通过接口获取包含证明和一致性证明。",
        "Every accepted record version and every batch manifest is a leaf of the ledger (an RFC 9162 Merkle tree over SM3); after each batch the platform signs the tree head with its SM2 key. Anyone can check heads with the public key and fetch inclusion and consistency proofs through the API.",
    ),
    (
        "ledger.latest_head",
        "最新签名树头",
        "Latest signed tree head",
    ),
    ("ledger.size", "叶子数", "Size"),
    ("ledger.root", "根哈希（SM3）", "Root (SM3)"),
    ("ledger.signed_at", "签署时间", "Signed at"),
    ("ledger.signature", "SM2 签名", "SM2 signature"),
    ("ledger.key_id", "密钥标识", "Key ID"),
    (
        "ledger.no_head",
        "尚无签名树头：还没有批次入库。",
        "No signed head yet: no batch has been applied.",
    ),
    ("ledger.public_key", "平台公钥", "Platform public key"),
    ("ledger.algorithm", "算法", "Algorithm"),
    ("ledger.distid", "区分标识", "distinguishing ID"),
    ("ledger.api_hint", "接口：", "API:"),
    ("ledger.verification", "账本核验", "Ledger verification"),
    ("ledger.checked_at", "最近核验时间", "Last checked"),
    ("ledger.result", "结果", "Result"),
    ("ledger.ok", "全部相符", "All holds"),
    ("ledger.failed", "发现不符", "Mismatches found"),
    (
        "ledger.heads_checked",
        "已核对签名树头",
        "Signed heads checked",
    ),
    ("ledger.first_problem", "第一处不符", "First mismatch"),
    ("ledger.never_checked", "尚未核验。", "Not verified yet."),
    ("ledger.verify_now", "立即核验", "Verify now"),
    ("ledger.cli_hint", "命令行：", "Command line:"),
    (
        "collect.lead",
        "按信用信息目录报送本单位负责的信息项。合格行入库，不合格行逐行说明原因；同一文件重复提交不会重复入库。",
        "Submit the catalogue items your unit is responsible for. Valid rows are stored; each rejected row is explained; the same file twice changes nothing.",
    ),
    (
        "collect.no_items",
        "本单位尚未被指定为任何信息项的责任单位，请联系平台运营方",
        "Your unit is not yet a source for any item; ask the operator",
    ),
    ("collect.format", "文件格式", "Format"),
    ("collect.encoding", "文件编码", "Encoding"),
    ("collect.auto", "自动识别", "Detect"),
    (
        "collect.strict",
        "严格模式（有任一行不合格则整批不入库）",
        "Strict (refuse the whole file if any row fails)",
    ),
    ("collect.file", "文件", "File"),
    ("collect.upload", "上传并校验", "Upload and check"),
    ("collect.applied", "批次已入库", "Batch applied"),
    (
        "collect.replayed",
        "该文件此前已提交，未作任何改动",
        "This file was submitted before; nothing changed",
    ),
    ("collect.refused", "批次未入库", "Batch refused"),
    ("collect.received", "收到行数", "Rows received"),
    ("collect.accepted", "合格行数", "Rows accepted"),
    ("collect.rejected", "不合格行数", "Rows rejected"),
    ("collect.new_versions", "新增版本", "New versions"),
    ("collect.unchanged", "未变化", "Unchanged"),
    ("collect.row", "行号", "Row"),
    ("collect.templates", "报送模板", "Upload templates"),
    ("collect.value", "值", "Value"),
    ("collect.reason", "原因", "Reason"),
    ("cat.severity", "严重程度", "Severity"),
    ("cat.frequency", "更新频率", "Update frequency"),
    ("collect.duplicates", "批内重复", "Duplicates in file"),
    (
        "collect.error_report",
        "下载错误报告",
        "Download the error report",
    ),
    ("collect.listed_first", "页面仅列出前", "listed here: first"),
    ("collect.uploading", "正在上传…", "Uploading…"),
    ("collect.progress", "报送进度", "Batch progress"),
    ("collect.rows_read", "已读取行数", "Rows read"),
    ("collect.rows_written", "已写入版本", "Versions written"),
    ("cat.items", "个信息项", "items"),
    ("cat.fields", "字段", "fields"),
    ("cat.item", "信息项", "Item"),
    ("cat.field", "字段", "Field"),
    ("cat.key", "键", "Key"),
    ("cat.mode", "共享方式", "Mode"),
    ("cat.sources", "责任单位", "Source units"),
    ("cat.subject", "主体字段", "Subject field"),
    ("cat.natural_key", "记录键", "Natural key"),
    ("cat.polarity", "信息性质", "Polarity"),
    ("cat.type", "类型", "Type"),
    ("cat.required", "必填", "Required"),
    ("cat.sensitivity", "分级", "Sensitivity"),
    ("cat.push", "物理归集", "Push"),
    ("cat.pull", "接口调用", "Pull"),
    ("cat.negative", "失信/负面", "Negative"),
    ("cat.positive", "守信/正面", "Positive"),
    ("cat.neutral", "一般", "Neutral"),
    ("org.role", "机构类型", "Kind"),
    ("org.all_roles", "全部类型", "All kinds"),
    ("org.name", "机构名称", "Name"),
    ("org.region", "所在地区 / 管辖区域", "Region / jurisdiction"),
    (
        "org.region_hint",
        "6位行政区划代码，政府部门必填",
        "6-digit region code; required for government",
    ),
    ("org.uscc_hint", "企业必填", "Required for enterprises"),
    ("org.institution_kind", "接入机构类别", "Institution kind"),
    ("org.create", "新增机构", "Add organisation"),
    ("org.users", "用户", "Users"),
    ("org.no_users", "该机构尚无用户", "No users yet"),
    ("org.display_name", "姓名", "Name"),
    ("org.add_user", "新增用户", "Add user"),
    ("org.reset_password", "重置密码", "Reset password"),
    ("org.new_password", "新密码", "New password"),
    ("org.locked", "已锁定", "Locked"),
    ("org.user_added", "用户已创建", "User created"),
    (
        "org.password_reset",
        "密码已重置，该用户的会话已全部失效",
        "Password reset; the user's sessions have ended",
    ),
    ("kind.bank", "银行", "Bank"),
    ("kind.guarantor", "融资担保机构", "Guarantor"),
    ("kind.insurer", "保险机构", "Insurer"),
    ("kind.credit_agency", "征信 / 信用服务机构", "Credit agency"),
    ("nav.logout", "退出登录", "Log out"),
    ("nav.menu", "菜单", "Menu"),
    ("lang.switch", "English", "中文"),
    ("login.title", "登录", "Log in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Log in"),
    (
        "login.intro",
        "为中小微企业融资提供信用信息归集、共享与评价服务",
        "Credit information collection, sharing and evaluation for SME financing",
    ),
    ("error.title", "出错了", "Something went wrong"),
    (
        "error.login_required",
        "请先登录后再访问此页面",
        "Please log in to view this page",
    ),
    (
        "error.forbidden",
        "您的角色无权访问此页面",
        "Your role may not open this page",
    ),
    ("error.go_login", "前往登录", "Go to login"),
    ("error.go_home", "返回首页", "Back to home"),
    ("home.welcome", "欢迎", "Welcome"),
    ("home.org", "所属机构", "Organisation"),
    ("home.role", "角色", "Role"),
    ("home.region", "管辖区域", "Jurisdiction"),
    ("home.enterprises", "企业数", "Enterprises"),
    ("home.organizations", "机构数", "Organisations"),
    ("home.users", "用户数", "Users"),
    (
        "home.operator.lead",
        "管理机构、用户与平台运行",
        "Manage organisations, users and the platform",
    ),
    (
        "home.government.lead",
        "查看辖区企业与融资信用服务情况",
        "Enterprises and financing credit services in your jurisdiction",
    ),
    (
        "home.provider.lead",
        "向平台报送信用信息，查看数据质量与使用反馈",
        "Submit credit information; see data quality and usage feedback",
    ),
    (
        "home.institution.lead",
        "查询信用信息，发布金融产品，受理融资申请",
        "Query credit information, publish products, handle applications",
    ),
    (
        "home.enterprise.lead",
        "查看本企业信用信息，授权与融资申请",
        "Your enterprise's credit information, authorizations and financing",
    ),
    (
        "home.uscc",
        "统一社会信用代码",
        "Unified social credit code",
    ),
    (
        "home.tokens_hint",
        "为系统对接创建 API 令牌",
        "Create API tokens for system integration",
    ),
    ("ent.search", "搜索", "Search"),
    (
        "ent.search_placeholder",
        "企业名称或统一社会信用代码",
        "Name or unified social credit code",
    ),
    ("ent.all_regions", "全部区县", "All districts"),
    ("ent.all_industries", "全部行业", "All industries"),
    ("ent.name", "企业名称", "Name"),
    ("ent.uscc", "统一社会信用代码", "USCC"),
    ("ent.region", "所属区县", "District"),
    ("ent.industry", "行业", "Industry"),
    ("ent.established", "成立日期", "Established"),
    ("ent.size", "规模", "Size"),
    ("ent.capital", "注册资本", "Registered capital"),
    ("ent.total", "共", "Total"),
    ("ent.records", "条", "records"),
    ("ent.prev", "上一页", "Previous"),
    ("ent.next", "下一页", "Next"),
    ("ent.page", "页", "Page"),
    ("ent.none", "没有符合条件的企业", "No enterprise matches"),
    ("tokens.title", "API 令牌", "API tokens"),
    (
        "tokens.lead",
        "令牌代表您本人调用接口（Authorization: Bearer）。令牌只显示一次，请妥善保存。",
        "A token calls the API as you (Authorization: Bearer). It is shown once only: keep it safe.",
    ),
    ("tokens.name", "名称", "Name"),
    (
        "tokens.days",
        "有效天数（留空为长期）",
        "Valid days (empty: no expiry)",
    ),
    ("tokens.create", "创建令牌", "Create token"),
    (
        "tokens.created",
        "新令牌（仅显示一次）",
        "New token (shown once)",
    ),
    ("tokens.prefix", "前缀", "Prefix"),
    ("tokens.created_at", "创建时间", "Created"),
    ("tokens.expires_at", "到期时间", "Expires"),
    ("tokens.last_used", "最近使用", "Last used"),
    ("tokens.status", "状态", "Status"),
    ("tokens.active", "有效", "Active"),
    ("tokens.revoked", "已吊销", "Revoked"),
    ("tokens.revoke", "吊销", "Revoke"),
    ("tokens.never", "—", "—"),
    ("tokens.none", "尚未创建令牌", "No tokens yet"),
    ("nav.pull", "接口查询", "Live query"),
    (
        "pull.lead",
        "按需调用数据提供单位的接口，实时查询信息主体的信息；数据不在平台留存，每次查询都会记入数据使用情况。",
        "Calls the data provider's API on demand; the answer is not stored, and every read is recorded for the provider's usage feedback.",
    ),
    (
        "pull.subject",
        "信息主体（统一社会信用代码）",
        "Subject (USCC)",
    ),
    (
        "pull.subject_hint",
        "18 位统一社会信用代码或身份证号码",
        "18-character USCC or ID number",
    ),
    ("pull.purpose", "查询用途", "Purpose"),
    ("pull.purpose_hint", "如：贷前调查", "e.g. pre-loan review"),
    ("pull.submit", "查询", "Query"),
    ("pull.provider", "数据提供单位", "Provider"),
    ("pull.fetched_at", "数据源答复时间", "Answered at"),
    ("pull.from_cache", "短时缓存", "from the short cache"),
    ("pull.rows", "记录条数", "Rows"),
    (
        "pull.no_rows",
        "数据源没有该主体的记录",
        "The provider holds no record about this subject",
    ),
    (
        "pull.rejected",
        "未通过目录校验而未显示的记录：",
        "Rows left out for failing the catalogue's checks: ",
    ),
    ("pull.yes", "是", "Yes"),
    ("pull.no", "否", "No"),
    ("nav.connectors", "接口管理", "Connectors"),
    (
        "conn.lead",
        "每个数据提供单位一个查询接口：超时、重试、并发与频率上限、短时缓存和熔断保护。状态为本服务启动以来的实时计数。",
        "One query API per data provider: timeout, retries, concurrency and rate limits, short cache and circuit breaker. Counts are live since this server started.",
    ),
    ("conn.none", "尚未配置数据源接口", "No connectors yet"),
    ("conn.provider", "数据提供单位", "Provider"),
    ("conn.base_url", "接口地址", "Base URL"),
    ("conn.breaker", "熔断状态", "Breaker"),
    ("conn.calls", "调用次数", "Calls"),
    ("conn.failures", "失败次数", "Failures"),
    ("conn.cache_hits", "缓存命中", "Cache hits"),
    (
        "conn.refused",
        "熔断拒绝 / 限流拒绝",
        "Short-circuited / throttled",
    ),
    (
        "conn.limits",
        "超时 · 重试 · 并发 · 频率 · 缓存",
        "Timeout · retries · concurrency · rate · cache",
    ),
    ("conn.enabled", "启用", "Enabled"),
    ("conn.edit", "新增或修改接口", "Add or change a connector"),
    ("conn.timeout_ms", "超时（毫秒）", "Timeout (ms)"),
    ("conn.retries", "重试次数", "Retries"),
    ("conn.max_concurrency", "并发上限", "Max concurrency"),
    ("conn.rate_per_minute", "每分钟调用上限", "Calls per minute"),
    ("conn.cache_ttl_seconds", "缓存时长（秒）", "Cache TTL (s)"),
    (
        "conn.breaker_threshold",
        "熔断阈值（连续失败次数）",
        "Breaker threshold (consecutive failures)",
    ),
    (
        "conn.breaker_cooldown_seconds",
        "熔断冷却（秒）",
        "Breaker cooldown (s)",
    ),
    ("conn.save", "保存", "Save"),
    ("conn.saved", "接口配置已保存", "Connector saved"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_message_has_both_languages_and_unique_keys() {
        let mut keys = HashSet::new();
        for (key, zh, en) in MESSAGES {
            assert!(keys.insert(*key), "duplicate key {key}");
            assert!(
                !zh.is_empty() && !en.is_empty(),
                "{key} lacks a translation"
            );
        }
    }

    #[test]
    fn every_key_used_in_templates_exists() {
        let sources = [
            include_str!("../templates/base.html"),
            include_str!("../templates/login.html"),
            include_str!("../templates/home.html"),
            include_str!("../templates/enterprises.html"),
            include_str!("../templates/enterprise_rows.html"),
            include_str!("../templates/tokens.html"),
            include_str!("../templates/error.html"),
            include_str!("../templates/layout_nav.html"),
            include_str!("../templates/organizations.html"),
            include_str!("../templates/organization.html"),
            include_str!("../templates/catalog.html"),
            include_str!("../templates/catalog_item.html"),
            include_str!("../templates/collect.html"),
            include_str!("../templates/quality.html"),
            include_str!("../templates/quality_ranking.html"),
            include_str!("../templates/pull.html"),
            include_str!("../templates/connectors.html"),
            include_str!("../templates/collect_job.html"),
            include_str!("../templates/collect_job_status.html"),
            include_str!("../templates/objections.html"),
            include_str!("../templates/objection_new.html"),
            include_str!("../templates/objection.html"),
            include_str!("../templates/repairs.html"),
            include_str!("../templates/repair_new.html"),
            include_str!("../templates/repair.html"),
        ];
        let keys: HashSet<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
        for source in sources {
            for part in source.split("tr.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                assert!(keys.contains(key), "template uses unknown key {key}");
            }
        }
    }
}
