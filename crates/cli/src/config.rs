//! The one configuration loader: command-line flags, each with an `XINRONG_*` environment
//! variable behind it, and defaults that run on a fresh machine with nothing installed.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/xinrong.db";

#[derive(Debug, Parser)]
#[command(
    name = "xinrong",
    version,
    about = "信融 · 融资信用服务平台 (financing credit service platform)"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Database URL: sqlite://PATH, postgres://…, or mysql://… (MariaDB, TiDB, OceanBase).
    #[arg(long, global = true, env = "XINRONG_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
    /// Log format on stderr.
    #[arg(long, global = true, env = "XINRONG_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// The ledger's SM2 signing key (PKCS#8 PEM), created with mode 0600 on first start.
    /// Default: `ledger-sm2.key` beside the SQLite database, else `data/ledger-sm2.key`.
    #[arg(long, global = true, env = "XINRONG_LEDGER_KEY")]
    pub ledger_key: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub rights: RightsArgs,
    #[command(flatten)]
    pub finance: FinanceArgs,
    /// Outbound notifications (notify.smtp.*, notify.webhook.*).
    #[command(flatten)]
    pub notify: crate::commands::notifications::NotifyArgs,
}

/// Objection and repair rules (异议与信用修复规则); defaults from the 2026 信用修复管理办法.
#[derive(Debug, Args)]
pub struct RightsArgs {
    /// Working days a source unit has to answer an objection.
    #[arg(
        long,
        global = true,
        env = "XINRONG_OBJECTION_DEADLINE_DAYS",
        default_value_t = 5
    )]
    pub objection_deadline_days: u32,
    /// New objections one enterprise may file per day.
    #[arg(
        long,
        global = true,
        env = "XINRONG_OBJECTIONS_PER_DAY",
        default_value_t = 5
    )]
    pub objections_per_day: u32,
    /// Objections one enterprise may have in process at once.
    #[arg(
        long,
        global = true,
        env = "XINRONG_OBJECTIONS_OPEN",
        default_value_t = 20
    )]
    pub objections_open: u32,
    /// Minimum publicity in months before repair may be applied for: minor,major,serious.
    #[arg(
        long,
        global = true,
        env = "XINRONG_REPAIR_MIN_MONTHS",
        value_delimiter = ',',
        default_value = "0,3,12"
    )]
    pub repair_min_months: Vec<u32>,
    /// Maximum publicity in months: minor,major,serious.
    #[arg(
        long,
        global = true,
        env = "XINRONG_REPAIR_MAX_MONTHS",
        value_delimiter = ',',
        default_value = "3,12,36"
    )]
    pub repair_max_months: Vec<u32>,
}

/// Service deadlines of financing applications (融资申请服务时限), in working days.
#[derive(Debug, Args)]
pub struct FinanceArgs {
    /// Working days an institution has to accept (受理) a submitted application.
    #[arg(
        long,
        global = true,
        env = "XINRONG_FINANCE_ACCEPT_WORKDAYS",
        default_value_t = 3
    )]
    pub finance_accept_workdays: u32,
    /// Working days from acceptance to a decision (审批).
    #[arg(
        long,
        global = true,
        env = "XINRONG_FINANCE_DECIDE_WORKDAYS",
        default_value_t = 10
    )]
    pub finance_decide_workdays: u32,
    /// Working days after submission an undecided application expires.
    #[arg(
        long,
        global = true,
        env = "XINRONG_FINANCE_EXPIRE_WORKDAYS",
        default_value_t = 30
    )]
    pub finance_expire_workdays: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and the API (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Fill an empty database with a synthetic demo city.
    Demo(DemoArgs),
    /// The credit information catalogue (信用信息目录).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Push collection (物理归集): apply one provider file of one catalogue item.
    Ingest(IngestArgs),
    /// Write the upload template (报送模板) of a catalogue item.
    Template(TemplateArgs),
    /// The tamper-evident ledger.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// The versioned record store.
    #[command(subcommand)]
    Records(RecordsCommand),
    /// Data quality (数据质量) and usage (数据使用情况): one provider's items, or every provider ranked.
    Quality(QualityArgs),
    /// Export data.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Organisations.
    #[command(subcommand)]
    Orgs(OrgsCommand),
    /// Public credit comprehensive evaluation (公共信用综合评价): every enterprise, or one.
    Evaluate(crate::commands::evaluate::EvaluateArgs),
    /// What an organisation receives about a subject (访问控制与脱敏 applied), logged as a read.
    View(crate::commands::view::ViewArgs),
    /// The access log (查询记录): who read which subject's data, when and why.
    Audit(crate::commands::view::AuditArgs),
    /// Standardised credit report (标准化信用信息报告): issue one (`report USCC --as ORG`), or
    /// verify a report file (`report verify FILE`: exit 0 genuine, 1 altered, 2 unknown).
    Report(crate::commands::report::ReportArgs),
    /// Pull collection (接口调用): read an item about a subject from its provider's API.
    Pull(crate::commands::pull::PullArgs),
    /// Providers' query-API connectors (接口调用配置).
    #[command(subcommand)]
    Connectors(crate::commands::connectors::ConnectorsCommand),
    /// Run a simulated data provider's query API (for trying pull collection).
    SimulateProvider(crate::commands::simulate::SimulateArgs),
    /// Change events (变更事件) with durable consumer cursors.
    #[command(subcommand)]
    Events(crate::commands::events::EventsCommand),
    /// Authorizations (授权): grant, revoke and list subjects' consent artefacts.
    #[command(subcommand)]
    Authz(crate::commands::authz::AuthzCommand),
    /// Sharing agreements (数据共享协议) with institutions.
    #[command(subcommand)]
    Agreements(crate::commands::agreements::AgreementsCommand),
    /// Loans (获贷明细): import a file for an institution (all or nothing), list.
    #[command(subcommand)]
    Loans(crate::commands::loans::LoansCommand),
    /// The white list (白名单): list, approve, reject, remove.
    #[command(subcommand)]
    Whitelist(crate::commands::whitelist::WhitelistCommand),
    /// Objections (异议): list, and flag overdue ones to the operators.
    #[command(subcommand)]
    Objections(crate::commands::objections::ObjectionsCommand),
    /// Compensation funds (风险补偿基金): list, show, top up.
    #[command(subcommand)]
    Funds(crate::commands::funds::FundsCommand),
    /// Supply-chain payables (应付账款): list.
    #[command(subcommand)]
    Payables(crate::commands::payables::PayablesCommand),
    /// Policies (政策找人): list, and match published ones to enterprises.
    #[command(subcommand)]
    Policies(crate::commands::policies::PoliciesCommand),
    /// Green library (绿色金融): recompute the rule-based green enterprises.
    #[command(subcommand)]
    Green(crate::commands::green::GreenCommand),
    /// Financial products (金融产品): list, review (operator), publish (institution, JSON).
    #[command(subcommand)]
    Products(crate::commands::products::ProductsCommand),
    /// Financing applications (一键式融资): list, and the deadline sweep (overdue, expired).
    #[command(subcommand)]
    Applications(crate::commands::applications::ApplicationsCommand),
    /// Credit repair applications (信用修复).
    #[command(subcommand)]
    Repairs(crate::commands::repairs::RepairsCommand),
    /// Enterprise registrations (企业注册审核): list, approve, reject.
    #[command(subcommand)]
    Registrations(crate::commands::registrations::RegistrationsCommand),
    /// Inbox notifications (站内通知) and their outbound delivery.
    #[command(subcommand)]
    Notifications(crate::commands::notifications::NotificationsCommand),
    /// Benchmarks that print one JSON object each.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Push one item's generated file through the whole batch path and load the same rows with
    /// the database's bulk loader, in one run. Needs an EMPTY database: without --database-url
    /// a scratch SQLite file is used, never the platform's data.
    Ingest(BenchIngestArgs),
    /// Credit reports over HTTP on loopback: a demo city with records is seeded and evaluated
    /// (not timed), then concurrent clients fetch JSON reports for random enterprises; PDF
    /// rendering is timed apart.
    Report(BenchReportArgs),
    /// Full evaluation throughput of a demo city with records (seeding not timed), then the
    /// ingest-to-grade latency: one-row batches through the real ingest path, followed by the
    /// in-process outbox consumer, until the subject's current result reflects each.
    Evaluate(BenchEvaluateArgs),
}

#[derive(Debug, Args)]
pub struct BenchEvaluateArgs {
    /// Enterprises in the demo city.
    #[arg(long, default_value_t = 100_000)]
    pub enterprises: u32,
    /// Records per enterprise (on average) in the demo city.
    #[arg(long, default_value_t = 40)]
    pub records_per_enterprise: u32,
    /// One-row batches timed for the ingest-to-grade latency.
    #[arg(long, default_value_t = 50)]
    pub samples: u32,
}

#[derive(Debug, Args)]
pub struct BenchReportArgs {
    /// Enterprises in the demo city.
    #[arg(long, default_value_t = 100_000)]
    pub enterprises: u32,
    /// Records per enterprise (on average) in the demo city.
    #[arg(long, default_value_t = 40)]
    pub records_per_enterprise: u32,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 32)]
    pub clients: u32,
    /// Seconds of measured load, after a warm-up of a tenth of that (at least one second).
    #[arg(long, default_value_t = 10)]
    pub seconds: u32,
    /// PDF reports rendered one after another for the PDF figure.
    #[arg(long, default_value_t = 20)]
    pub pdf_samples: u32,
}

#[derive(Debug, Args)]
pub struct BenchIngestArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u32,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "XINRONG_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Seed a demo city when the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Enterprises in the demo city seeded by --demo.
    #[arg(long, default_value_t = 2_000)]
    pub demo_enterprises: u32,
    /// Mark cookies Secure (set when served behind TLS).
    #[arg(long, env = "XINRONG_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of enterprises.
    #[arg(long, default_value_t = 2_000)]
    pub enterprises: u32,
    /// Random seed: the same seed gives the same city.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Prefecture-level region, e.g. 4101 (郑州) or 411500 (信阳).
    #[arg(long, default_value = "4101")]
    pub region: String,
    /// Catalogue records per enterprise on average (payment histories, ratings, penalties,
    /// court cases …), sent through the real push path; 0 for none.
    #[arg(long, default_value_t = 40)]
    pub records_per_enterprise: u32,
    /// Leave out the financing services (products, applications, loans, white list, fund,
    /// payables, policies, green library).
    #[arg(long)]
    pub without_finance: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Catalogue item key, e.g. tax.tax_arrears.
    #[arg(long)]
    pub item: String,
    /// The providing organisation: its ID or its USCC.
    #[arg(long)]
    pub provider: String,
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// auto, utf-8 or gbk (GB18030).
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// Apply all rows or none.
    #[arg(long)]
    pub strict: bool,
    /// The file corrects records sent before (更正): changed records become `corrected` events.
    #[arg(long)]
    pub correction: bool,
    /// Print progress lines (JSON) to standard error while the batch runs.
    #[arg(long)]
    pub progress: bool,
    /// Write the per-row error report here: XLSX when the name ends in .xlsx, else CSV.
    #[arg(long)]
    pub errors: Option<std::path::PathBuf>,
    /// The file to apply.
    pub file: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    #[arg(long)]
    pub item: String,
    /// xlsx or csv.
    #[arg(long, default_value = "xlsx")]
    pub format: String,
    /// Where to write it (default: ITEM.FORMAT in the current directory).
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Every version of every record about a subject (operator view).
    Show(RecordsShowArgs),
}

#[derive(Debug, Args)]
pub struct QualityArgs {
    /// One provider (its ID or USCC): its report per item. Without it: every provider ranked.
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RecordsShowArgs {
    /// The subject's USCC (or ID number).
    #[arg(long)]
    pub subject: String,
    /// Only this item.
    #[arg(long)]
    pub item: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every leaf from the stored rows, the root from the leaves, and check every
    /// signed tree head; names the first mismatch and exits 1 when one is found.
    Verify,
    /// The latest signed tree head (签名树头).
    Head(LedgerHeadArgs),
    /// The platform's SM2 public key (PEM) for checking signed heads.
    PublicKey,
}

#[derive(Debug, Args)]
pub struct LedgerHeadArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// List the catalogue in force: sections, items, modes and field counts.
    List(CatalogListArgs),
    /// Check a catalogue directory (catalog.toml + items/*.toml) before shipping it.
    Check(CatalogCheckArgs),
}

#[derive(Debug, Args)]
pub struct CatalogListArgs {
    /// Only this section (e.g. tax).
    #[arg(long)]
    pub section: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct CatalogCheckArgs {
    /// The catalogue directory.
    #[arg(default_value = "catalog/v1")]
    pub dir: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The enterprise list.
    Enterprises(ExportEnterprisesArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportEnterprisesArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Only enterprises under this GB/T 2260 region (a city or a district).
    #[arg(long)]
    pub region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user: in the organisation given by --org, or else an operator user (creating
    /// the operator organisation if there is none yet).
    CreateUser(CreateUserArgs),
    /// Register an organisation; prints it as JSON with its `id`.
    CreateOrg(CreateOrgArgs),
    /// Let a provider push items it is a source unit (责任单位) for.
    GrantItems(GrantItemsArgs),
}

#[derive(Debug, Args)]
pub struct GrantItemsArgs {
    /// The provider's organisation ID.
    #[arg(long)]
    pub org: String,
    /// Item keys, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub items: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// List organisations; providers with the items each may push.
    List(ListOrgsArgs),
}

#[derive(Debug, Args)]
pub struct CreateOrgArgs {
    /// operator, government, provider, institution or enterprise.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub name: String,
    /// 统一社会信用代码 (required for enterprises).
    #[arg(long)]
    pub uscc: Option<String>,
    /// GB/T 2260 code: jurisdiction of a government unit, seat of the others.
    #[arg(long)]
    pub region: Option<String>,
    /// For institutions: bank, guarantor, insurer, credit_agency.
    #[arg(long)]
    pub institution_kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListOrgsArgs {
    /// Only organisations of this kind (role): operator, government, provider, institution, enterprise.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// The organisation the user belongs to (its ID); without it, an operator user.
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub display_name: String,
    /// Read the password from the first line of standard input instead of the environment.
    #[arg(long)]
    pub password_stdin: bool,
    /// The password (prefer --password-stdin: flags show up in process lists).
    #[arg(long, env = "XINRONG_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// Logs go to stderr so stdout stays clean for exports and JSON.
pub fn init_logging(global: &Global) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("XINRONG_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match global.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
